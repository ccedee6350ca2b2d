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
    /** Frames remembered by {@link #site}; past this many, sites are formatted on every walk. */
    static final int MAX_FRAMES = 1 << 16;
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final FirstUserFrame FIRST_USER_FRAME = new FirstUserFrame();
    private static final OwnMap<FrameKey, Site> FRAMES = new OwnMap<>(); // not a HashMap: see OwnMap

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

    /**
     * The site of a frame: formatted once per (class name, method name, bytecode index) and then shared, so that a
     * walk for a new stream costs the walk only (no StackTraceElement, no string building), and the site string is
     * one instance whose hash is computed once. Class and method names of a walked frame are the JVM's interned
     * strings. Two classes of the same name in different class loaders share the first one's line numbers.
     */
    static Site site(StackWalker.StackFrame f) {
        FrameKey key = new FrameKey(f.getClassName(), f.getMethodName(), f.getByteCodeIndex());
        Site s;
        synchronized (FRAMES) {
            s = FRAMES.get(key);
        }
        if (s == null) {
            String text = format(f);
            CallSites.Site tagged = CallSiteTags.registered(text);
            // the tag's string when the frame is a tagged call: the registry's find then compares sites by identity
            s = new Site(tagged == null ? text : tagged.site, key.cls, key.method, f.getLineNumber());
            synchronized (FRAMES) {
                if (FRAMES.size() < MAX_FRAMES) {
                    FRAMES.put(key, s);
                }
            }
        }
        return s;
    }

    /** A formatted call site with its parts. */
    static final class Site {
        final String site;
        final String cls;
        final String method;
        final int line;
        /**
         * {@code site.hashCode()}, kept here: a new stream's key lookup ({@link SiteRegistry#find}) reads this object
         * anyway, and the string's own header line only for its hash.
         */
        final int hash;
        /**
         * {@link SiteRegistry#targetHash} of {@link #site}: the lookup compares it with the key's
         * ({@link SiteCounter#SITE_HASH}) instead of the key's site string, which lives in a cold object of its own.
         */
        final long longHash;

        Site(String site, String cls, String method, int line) {
            this.site = site;
            this.cls = cls;
            this.method = method;
            this.line = line;
            this.hash = site.hashCode();
            this.longHash = SiteRegistry.targetHash(site);
        }
    }

    /** Plain class, not a record: records need the invokedynamic machinery, which may not be up yet. */
    private static final class FrameKey implements OwnMap.Key {
        final String cls;
        final String method;
        final int bci;

        FrameKey(String cls, String method, int bci) {
            this.cls = cls;
            this.method = method;
            this.bci = bci;
        }

        @Override
        public boolean sameKey(OwnMap.Key o) {
            FrameKey k = (FrameKey) o;
            return bci == k.bci && cls.equals(k.cls) && method.equals(k.method);
        }

        @Override
        public int keyHash() {
            return (cls.hashCode() * 31 + method.hashCode()) * 31 + bci;
        }
    }

    /** {@code com.acme.Foo.bar(Foo.java:88)}; the file is {@code Unknown Source} when the class has none. */
    static String format(StackWalker.StackFrame f) {
        return CallSiteTags.format(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber());
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
