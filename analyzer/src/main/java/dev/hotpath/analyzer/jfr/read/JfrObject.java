package dev.hotpath.analyzer.jfr.read;

/** A nested value of an event (e.g. {@code jdk.GCHeapSummary.heapSpace}), read by field name as it is rare. */
public interface JfrObject {
    /** As {@code RecordedObject.getLong}: integral values widened, unsigned ones as unsigned. */
    long getLong(String field);

    /** As {@code RecordedObject.getClass}: {@code null} for a null value. */
    JfrClass getClass(String field);
}
