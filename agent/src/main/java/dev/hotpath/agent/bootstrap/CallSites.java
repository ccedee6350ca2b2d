package dev.hotpath.agent.bootstrap;

import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the call site of an I/O operation: the first stack frame whose class is neither the JDK's nor hotpath's.
 * A bounded {@link StackWalker} walk (~2 us for ten frames, measured), which is why the recorder caches its result
 * per stream and only re-walks on a sample. No lambdas: this class runs inside JDK I/O methods, possibly before the
 * lambda machinery is initialised.
 */
final class CallSites {
    static final int MAX_DEPTH = 128;
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final FirstUserFrame FIRST_USER_FRAME = new FirstUserFrame();

    private CallSites() {
    }

    /** The first user frame, or {@code null} when every frame is the JDK's (JDK-internal threads). */
    static StackWalker.StackFrame firstUserFrame() {
        return WALKER.walk(FIRST_USER_FRAME);
    }

    static boolean isInternal(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("javax.") || className.startsWith("com.sun.")
                || className.startsWith("dev.hotpath.agent.");
    }

    /** {@code com.acme.Foo.bar(Foo.java:88)}; the file is {@code Unknown Source} when the class has none. */
    static String format(StackWalker.StackFrame f) {
        String file = f.getFileName();
        int line = f.getLineNumber();
        StringBuilder sb = new StringBuilder(f.getClassName().length() + 40);
        sb.append(f.getClassName()).append('.').append(f.getMethodName()).append('(');
        sb.append(file == null ? "Unknown Source" : file);
        if (file != null && line >= 0) {
            sb.append(':').append(line);
        }
        return sb.append(')').toString();
    }

    private static final class FirstUserFrame implements Function<Stream<StackWalker.StackFrame>, StackWalker.StackFrame> {
        @Override
        public StackWalker.StackFrame apply(Stream<StackWalker.StackFrame> frames) {
            Iterator<StackWalker.StackFrame> it = frames.iterator();
            for (int depth = 0; depth < MAX_DEPTH && it.hasNext(); depth++) {
                StackWalker.StackFrame f = it.next();
                if (!isInternal(f.getClassName())) {
                    return f;
                }
            }
            return null;
        }
    }
}
