package dev.hotpath.analyzer.jfr.read;

/** A thread of the recording ({@code java.lang.Thread} pool entry). */
public final class JfrThread {
    private final String javaName;
    private final long javaThreadId;

    public JfrThread(String javaName, long javaThreadId) {
        this.javaName = javaName;
        this.javaThreadId = javaThreadId;
    }

    /** The Java name, {@code null} for a native thread. */
    public String getJavaName() {
        return javaName;
    }

    /** As {@code RecordedThread.getJavaThreadId} of the running JDK. */
    public long getJavaThreadId() {
        return javaThreadId;
    }
}
