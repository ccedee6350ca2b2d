package dev.hotpath.analyzer.profile;

/** Frame names as hotpath prints them ({@code pkg.Class.method}) and which of them belong to the application. */
public final class Frames {
    private Frames() {
    }

    /**
     * True for frames of the JDK and the JVM, which are never the culprit a user can change: {@code java.*},
     * {@code javax.*}, {@code jdk.*}, {@code sun.*}, {@code com.sun.*}, and native frames (no package).
     */
    public static boolean isRuntime(String frame) {
        return frame.startsWith("java.") || frame.startsWith("javax.") || frame.startsWith("jdk.")
                || frame.startsWith("sun.") || frame.startsWith("com.sun.") || frame.indexOf('.') < 0
                || frame.startsWith("[") || frame.contains(".so") || frame.startsWith("dev.hotpath.agent.");
    }

    /**
     * Normalises an async-profiler collapsed frame ({@code com/acme/Foo.bar_[j]}, {@code Foo::bar}) to
     * {@code com.acme.Foo.bar}; leaves native names alone.
     */
    public static String normalise(String frame) {
        String f = frame;
        int n = f.length();
        if (n > 4 && f.charAt(n - 1) == ']' && f.charAt(n - 3) == '[' && f.charAt(n - 4) == '_') {
            f = f.substring(0, n - 4);
        }
        if (f.indexOf('/') >= 0 && f.indexOf(' ') < 0) {
            f = f.replace('/', '.');
        }
        return f;
    }

    /** The frame's class part ({@code com.acme.Foo} of {@code com.acme.Foo.bar}). */
    public static String typeOf(String frame) {
        int dot = frame.lastIndexOf('.');
        return dot < 0 ? frame : frame.substring(0, dot);
    }
}
