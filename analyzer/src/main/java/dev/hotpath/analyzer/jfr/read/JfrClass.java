package dev.hotpath.analyzer.jfr.read;

/** A class of the recording ({@code java.lang.Class} pool entry). One object per pool entry per chunk. */
public final class JfrClass {
    private final String rawName;

    public JfrClass(String rawName) {
        this.rawName = rawName;
    }

    /** As {@code RecordedClass.getName}: dots for slashes; a class without a name throws NullPointerException. */
    public String getName() {
        return rawName.replace("/", ".");
    }
}
