package dev.hotpath.analyzer.jfr.read;

/** A method of a stack frame ({@code jdk.types.Method}); one object per pool entry per chunk. */
public final class JfrMethod {
    private final JfrClass type;
    private final String name;

    public JfrMethod(JfrClass type, String name) {
        this.type = type;
        this.name = name;
    }

    /** The declaring class, {@code null} when the pool has none. */
    public JfrClass getType() {
        return type;
    }

    public String getName() {
        return name;
    }
}
