package dev.hotpath.analyzer.jfr.read;

/**
 * The view of one event that the handlers read, from this package's chunk reader or, for a recording it does not
 * understand, from a {@code jdk.jfr.consumer.RecordedEvent} ({@link RecordedView}), so the handlers have one code
 * path. Fields are addressed by their position in {@link #type()}'s field list (resolve a name once per type with
 * {@link JfrType#field}); each getter returns what the same-named {@code RecordedObject} getter returns, and throws
 * {@link IllegalArgumentException} where that one throws (unknown field, value of another kind).
 *
 * <p>The chunk reader's events are views over its buffer, valid only during the callback: a handler that keeps an
 * event calls {@link #detach()}.
 */
public interface JfrEvent {
    JfrType type();

    /** Start, epoch nanoseconds ({@code getStartTime()}, exactly). */
    long startNanos();

    /** End, epoch nanoseconds ({@code getEndTime()}, exactly). */
    long endNanos();

    /** {@code getDuration().toNanos()}, exactly. */
    long durationNanos();

    long getLong(int field);

    int getInt(int field);

    float getFloat(int field);

    String getString(int field);

    /** {@code getDuration(name).toNanos()} of a {@code @Timespan} field. */
    long getDurationNanos(int field);

    JfrClass getClass(int field);

    JfrThread getThread(int field);

    JfrMethod getMethod(int field);

    JfrObject getObject(int field);

    /** {@code getStackTrace()}: {@code null} when the type has no stack trace or the event none. */
    JfrStack stackTrace();

    /** {@code getThread()}: the event thread, {@code null} when absent. */
    JfrThread thread();

    /** An event that stays valid after the callback (the reader's events are reused). */
    JfrEvent detach();

    default long getLong(String field) {
        return getLong(index(field));
    }

    default int getInt(String field) {
        return getInt(index(field));
    }

    default float getFloat(String field) {
        return getFloat(index(field));
    }

    default String getString(String field) {
        return getString(index(field));
    }

    default long getDurationNanos(String field) {
        return getDurationNanos(index(field));
    }

    default JfrClass getClass(String field) {
        return getClass(index(field));
    }

    default JfrThread getThread(String field) {
        return getThread(index(field));
    }

    default JfrMethod getMethod(String field) {
        return getMethod(index(field));
    }

    default JfrObject getObject(String field) {
        return getObject(index(field));
    }

    /** {@code Instant.toEpochMilli()} of {@link #startNanos()}. */
    default long startMillis() {
        return Math.floorDiv(startNanos(), 1_000_000L);
    }

    private int index(String field) {
        int i = type().field(field);
        if (i < 0) {
            throw new IllegalArgumentException("Attempt to get unknown field \"" + field + "\"");
        }
        return i;
    }
}
