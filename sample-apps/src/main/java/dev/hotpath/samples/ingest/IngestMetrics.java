package dev.hotpath.samples.ingest;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one ingest instance; rendered by {@link Ingest#metrics()}. */
final class IngestMetrics {
    final LongAdder batchesAccepted = new LongAdder();
    final LongAdder eventsAccepted = new LongAdder();
    final LongAdder batchesRejected = new LongAdder();
    final LongAdder eventsWritten = new LongAdder();
    final LongAdder segmentsUploaded = new LongAdder();
    final LongAdder segmentsFailed = new LongAdder();
    final LongAdder uploadRetries = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesCompressed = new LongAdder();
    final LongAdder splits = new LongAdder();
    final LongAdder leaseConflicts = new LongAdder();
    final LongAdder compressionsUnderGlobalLock = new LongAdder();
    final LongAdder shortLivedObjects = new LongAdder();
}
