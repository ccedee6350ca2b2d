package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.model.Artifact;
import jdk.jfr.consumer.RecordedEvent;

import java.util.Set;

/**
 * Digests the events of one concern (GC, locks, allocation...) into a summary. The reader calls {@link #accept} only
 * for the event types a handler declares, so a handler keeps per-event work to a few primitive updates.
 * One instance per artifact; not thread-safe.
 */
interface JfrHandler {
    /** Event type names, e.g. {@code jdk.GarbageCollection}. */
    Set<String> eventTypes();

    void accept(RecordedEvent event);

    /** Called once after the last event; adds the summary (if there was data) to the context. */
    void finish(Artifact artifact, RecordingInfo info, IngestContext ctx);
}
