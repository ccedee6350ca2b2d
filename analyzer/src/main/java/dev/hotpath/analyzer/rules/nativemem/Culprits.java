package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.nativemem.JemallocProfileSummary;
import dev.hotpath.analyzer.nativemem.NativeMemSummary;
import dev.hotpath.analyzer.nativemem.NativeStack;
import dev.hotpath.nativemem.asprof.UnfreedStack;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds the stack behind native growth: async-profiler {@code nativemem} first (it names Java frames), jemalloc's
 * profile otherwise (native frames only: unwinding stops in JIT-compiled code, so the JNI entry point is the best
 * name it has).
 */
final class Culprits {
    /** A culprit with its growth rate and where it came from. */
    record Culprit(NativeStack stack, double mbPerMin, String source) {
    }

    /** What to do when java.util.zip's Deflater/Inflater leak: one text for every rule that names them. */
    static final String ZIP_ADVICE = "java.util.zip's Deflater/Inflater hold native zlib memory until end() is called "
            + "(or the object is collected and cleaned): end() each one when done (in a finally block), or pool them.";

    private Culprits() {
    }

    static Culprit find(List<NativeMemSummary> nativemem, List<JemallocProfileSummary> jemalloc,
                        Predicate<List<String>> wanted) {
        for (NativeMemSummary s : nativemem) {
            for (UnfreedStack u : s.profile().stacks()) {
                if (wanted.test(u.frames())) {
                    double rate = s.profile().unfreedBytesPerMinute(u.bytes()) / (1024.0 * 1024.0);
                    return new Culprit(NativeMemSummary.stack(u), rate, s.source().sourceName());
                }
            }
        }
        if (jemalloc.size() >= 1) {
            List<JemallocProfileSummary> byTime = jemalloc.stream()
                    .sorted(Comparator.comparingLong(JemallocProfileSummary::epochMillis)
                            .thenComparingLong(JemallocProfileSummary::sequence)).toList();
            JemallocProfileSummary last = byTime.get(byTime.size() - 1);
            JemallocProfileSummary first = byTime.get(0);
            for (NativeStack st : last.top()) {
                if (!wanted.test(st.frames())) {
                    continue;
                }
                double before = 0;
                for (NativeStack f : first.top()) {
                    if (f.frames().equals(st.frames())) {
                        before = f.bytes();
                    }
                }
                long dt = last.epochMillis() - first.epochMillis();
                double rate = first == last || dt <= 0 ? Double.NaN : (st.bytes() - before) * 60_000.0 / dt / (1024.0 * 1024.0);
                return new Culprit(st, rate, last.source().sourceName());
            }
        }
        return null;
    }

    /** Stacks whose memory NMT does not see: the innermost native frame is not the JVM's own allocator. */
    static boolean outsideJvm(List<String> frames) {
        for (String f : frames) {
            if (f.endsWith(")") && f.contains(" (")) {
                return !f.contains("(libjvm.so)");
            }
        }
        return false;
    }

    static boolean directBuffer(List<String> frames) {
        for (String f : frames) {
            if (f.startsWith("java.nio.DirectByteBuffer.<init>") || f.startsWith("jdk.internal.misc.Unsafe.allocateMemory")
                    || f.startsWith("sun.misc.Unsafe.allocateMemory")) {
                return true;
            }
        }
        return false;
    }
}
