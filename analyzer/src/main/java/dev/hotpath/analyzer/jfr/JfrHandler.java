package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrType;

import java.util.Set;

/**
 * Digests the events of one concern (GC, locks, allocation...) into a summary. The reader calls {@link #accept} only
 * for the event types a handler declares, so a handler keeps per-event work to a few primitive updates.
 * One instance per artifact, or per part of it when its chunks are read in parallel; not thread-safe.
 *
 * <p>Parts are merged in chunk order, which is the order a serial read sees the events in, so the merged summary is
 * the serial one: a handler whose summary depends on event order (time series, "the last value wins") either merges
 * by replay ({@link #mergesByReplay}: its few events are kept per part and fed to the merged handler in order) or
 * implements {@link #absorb} so that the result equals reading this handler's events and then {@code later}'s.
 */
interface JfrHandler {
    /** Event type names, e.g. {@code jdk.GarbageCollection}. */
    Set<String> eventTypes();

    /**
     * Called once per event type object before its first event (a chunk has one per type): a handler keeping state
     * per type (field positions) sets it up here, so that {@link #accept}'s lookups always hit. A miss branch taken
     * only at each chunk's start makes the JIT drop and recompile the compiled event path.
     */
    default void prepare(JfrType type) {
    }

    /** One event; the reader's events are valid during the call only (a handler keeping one detaches it). */
    void accept(JfrEvent event);

    /** Called once after the last event; adds the summary (if there was data) to the context. */
    void finish(Artifact artifact, RecordingInfo info, IngestContext ctx);

    /**
     * True for handlers of low-volume events (GC, configuration, CPU load, old-object samples): a part keeps their
     * events, and the merge replays them into one handler in chunk order. The others implement {@link #absorb}.
     */
    default boolean mergesByReplay() {
        return false;
    }

    /**
     * Adds the state of a handler of the same kind that read the chunks right after the ones this handler read, so
     * that this handler ends as if it had read both parts itself. Only called when {@link #mergesByReplay} is false.
     */
    default void absorb(JfrHandler later) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " merges by replay");
    }
}
