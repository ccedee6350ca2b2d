package dev.hotpath.samples.ingest;

/**
 * A sealed run of one partition's events (newline-terminated lines). {@code compressed} is null until a
 * compressor has run; under the lock-contention fault it is filled while the global lock is held.
 */
final class Segment {
    final String partition;
    final long sequence;
    final byte[] raw;
    final int rawLength;
    final int events;
    byte[] compressed;

    Segment(String partition, long sequence, byte[] raw, int rawLength, int events) {
        this.partition = partition;
        this.sequence = sequence;
        this.raw = raw;
        this.rawLength = rawLength;
        this.events = events;
    }
}
