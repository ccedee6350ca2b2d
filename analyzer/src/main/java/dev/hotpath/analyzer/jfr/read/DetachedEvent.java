package dev.hotpath.analyzer.jfr.read;

/** An event of a chunk with every value decoded (see {@link BaseEvent#detach}). */
final class DetachedEvent extends BaseEvent {
    private final Object[] values;
    private final long start;
    private final long end;
    private final long duration;

    DetachedEvent(double divisor, Metadata.Type type, Object[] values, long start, long end, long duration) {
        super(divisor);
        this.type = type;
        this.values = values;
        this.start = start;
        this.end = end;
        this.duration = duration;
    }

    @Override
    Object value(int i) {
        field(i);
        return values[i];
    }

    @Override
    public long startNanos() {
        return start;
    }

    @Override
    public long endNanos() {
        return end;
    }

    @Override
    public long durationNanos() {
        return duration;
    }

    @Override
    public JfrEvent detach() {
        return this;
    }
}
