package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.jfr.read.JfrFrame;
import dev.hotpath.analyzer.jfr.read.JfrMethod;
import dev.hotpath.analyzer.jfr.read.JfrStack;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts stack traces by identity and resolves them to collapsed strings in batches. Within a chunk the reader
 * hands out one {@link JfrStack} object per constant-pool entry, so the per-event cost is one identity
 * lookup and two additions; the string work happens once per distinct stack per flush. Not thread-safe.
 */
final class StackTally {
    /** Frames kept per stack (the leaf side); deeper roots are cut, as async-profiler's default depth does. */
    static final int MAX_DEPTH = 64;
    private static final int FLUSH_AT = 8_192;

    private final IdentityHashMap<JfrStack, long[]> pending = new IdentityHashMap<>();
    private final IdentityHashMap<JfrMethod, String> names = new IdentityHashMap<>();
    private final IdentityHashMap<JfrStack, String> appFrames = new IdentityHashMap<>();
    private final IdentityHashMap<JfrStack, String> throwSites = new IdentityHashMap<>();
    private final IdentityHashMap<JfrStack, String> ioFrames = new IdentityHashMap<>();
    /** {@link #ioFrames}' value for a stack of the agent's own I/O (compared by identity). */
    private static final String AGENT_IO = new String("[hotpath agent]");
    private final CollapsedProfile profile;

    StackTally(CollapsedProfile profile) {
        this.profile = profile;
    }

    void add(JfrStack st, long weight) {
        if (st == null) {
            profile.add("[no stack]", 1, weight);
            return;
        }
        long[] v = pending.get(st);
        if (v == null) {
            if (pending.size() >= FLUSH_AT) {
                flush();
            }
            v = new long[2];
            pending.put(st, v);
        }
        v[0]++;
        v[1] += weight;
    }

    /**
     * Adds the stacks {@code later} counted (see {@link JfrHandler#absorb}). The totals are exact; which stacks
     * share the profile's {@code (other)} entry once it holds its maximum of distinct stacks depends on the order of
     * the flushes, as it does in one serial read.
     */
    void absorb(StackTally later) {
        flush();
        profile.addAll(later.finish());
    }

    CollapsedProfile finish() {
        flush();
        return profile;
    }

    private void flush() {
        for (Map.Entry<JfrStack, long[]> e : pending.entrySet()) {
            profile.add(collapse(e.getKey()), e.getValue()[0], e.getValue()[1]);
        }
        pending.clear();
        if (names.size() > 65_536) {
            names.clear();
        }
    }

    String collapse(JfrStack st) {
        List<JfrFrame> frames = st.getFrames();
        int n = Math.min(frames.size(), MAX_DEPTH);
        StringBuilder sb = new StringBuilder(n * 32);
        for (int i = n - 1; i >= 0; i--) {
            sb.append(name(frames.get(i).getMethod()));
            if (i > 0) {
                sb.append(';');
            }
        }
        return sb.toString();
    }

    String name(JfrMethod m) {
        String s = names.get(m);
        if (s == null) {
            s = describe(m);
            if (m != null) {
                names.put(m, s);
            }
        }
        return s;
    }

    /**
     * A damaged constant pool can leave a frame without a method, a method without a class, or a class without a
     * name (RecordedClass.getName then throws); such frames get a placeholder (ReaderSweepTest; corpus jfr/crash-*).
     */
    private static String describe(JfrMethod m) {
        if (m == null) {
            return "[unknown method]";
        }
        String type;
        try {
            type = m.getType() == null ? "[unknown class]" : m.getType().getName();
        } catch (NullPointerException noName) {
            type = "[unknown class]";
        }
        return type + '.' + m.getName();
    }

    /**
     * The deepest application frame of a stack, or its top frame when all are runtime frames. Cached per stack
     * object (one per constant-pool entry), so a hot stack is walked once per chunk, not once per event.
     */
    String appFrame(JfrStack st) {
        return cached(appFrames, st, Walk.APP);
    }

    /**
     * {@link #appFrame} of a throw event's stack, whose top frames are the constructors of the throwable and its
     * superclasses ({@code Throwable.<init>}, {@code Exception.<init>}, ...; JFR records the throw from inside them):
     * when no application frame is within the recorded depth (a framework's deep stack, or a small
     * {@code stackdepth}), the site is the frame that created the throwable, the first below those constructors
     * ({@code NumberFormatException.forInputString}), not {@code java.lang.Throwable.<init>}, which every throw has.
     */
    String throwSite(JfrStack st) {
        return cached(throwSites, st, Walk.THROW);
    }

    /**
     * {@link #appFrame} of an I/O event's stack, or {@code null} when a frame of the stack is hotpath's agent: the
     * agent's own I/O (its snapshot file, its metrics server's sockets), which JFR records like any other thread's
     * and which is not the application's (a demo's gateway reported the agent's snapshot write as its slowest file).
     * The agent does not trace it either. Its frames are never the application's ({@link
     * dev.hotpath.analyzer.profile.Frames#isRuntime}), and its advice runs inlined in the JDK's methods and has
     * returned before JFR's I/O event is committed, so such a frame means an agent thread's own call.
     */
    String ioFrame(JfrStack st) {
        String frame = cached(ioFrames, st, Walk.IO);
        return frame == AGENT_IO ? null : frame;
    }

    /** What a walk looks for: {@link #appFrame}, {@link #throwSite} or {@link #ioFrame}. */
    private enum Walk { APP, THROW, IO }

    private String cached(IdentityHashMap<JfrStack, String> cache, JfrStack st, Walk kind) {
        if (st == null) {
            return "[no stack]";
        }
        String cached = cache.get(st);
        if (cached == null) {
            if (cache.size() >= FLUSH_AT) {
                cache.clear();
            }
            cached = walk(st, kind);
            cache.put(st, cached);
        }
        return cached;
    }

    private String walk(JfrStack st, Walk kind) {
        List<JfrFrame> frames = st.getFrames();
        if (kind == Walk.IO) {
            for (JfrFrame f : frames) {
                if (f.isJavaFrame() && name(f.getMethod()).startsWith("dev.hotpath.agent.")) {
                    return AGENT_IO;
                }
            }
        }
        for (JfrFrame f : frames) {
            if (f.isJavaFrame()) {
                String n = name(f.getMethod());
                if (!dev.hotpath.analyzer.profile.Frames.isRuntime(n)) {
                    return n;
                }
            }
        }
        if (frames.isEmpty()) {
            return "[no stack]";
        }
        int top = 0;
        if (kind == Walk.THROW) {
            while (top < frames.size() - 1 && frames.get(top).getMethod() != null
                    && "<init>".equals(frames.get(top).getMethod().getName())) {
                top++;
            }
        }
        return name(frames.get(top).getMethod());
    }
}
