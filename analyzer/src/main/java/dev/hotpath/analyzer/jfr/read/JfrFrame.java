package dev.hotpath.analyzer.jfr.read;

/** One frame of a stack trace. */
public final class JfrFrame {
    private final JfrMethod method;
    private final int line;
    private final String type;
    private final boolean javaFrame;

    public JfrFrame(JfrMethod method, int line, String type, boolean javaFrame) {
        this.method = method;
        this.line = line;
        this.type = type;
        this.javaFrame = javaFrame;
    }

    public JfrMethod getMethod() {
        return method;
    }

    /** The line number, -1 when unknown. */
    public int getLineNumber() {
        return line;
    }

    /** JFR's frame type ("Interpreted", "JIT compiled", "Inlined", "Native", async-profiler's "C++"...), or null. */
    public String getType() {
        return type;
    }

    /** As {@code RecordedFrame.isJavaFrame}: the {@code javaFrame} field where the recording has one, else true. */
    public boolean isJavaFrame() {
        return javaFrame;
    }
}
