package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.profile.ProfileSummary;
import dev.hotpath.analyzer.rules.locks.LockSummary;
import dev.hotpath.analyzer.jfr.read.JfrClass;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrFrame;
import dev.hotpath.analyzer.jfr.read.JfrStack;
import dev.hotpath.analyzer.jfr.read.JfrThread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} into a {@link LockSummary} and a lock profile
 * (nanoseconds blocked per stack).
 *
 * <p>Only parks on a lock count: a park whose blocker is a condition or a latch ({@code ConditionObject},
 * {@code CountDownLatch}), or that has no blocker, is a thread waiting for work (an idle pool worker, a consumer on
 * an empty queue), not contention, and counting it would flag every healthy thread pool.
 */
final class LockHandler implements JfrHandler {
    private static final int TOP = 50;
    private final Map<String, Acc> byKey = new HashMap<>();
    private final StackTally profile = new StackTally(new CollapsedProfile());
    private final Map<String, String> thresholds;

    LockHandler(Map<String, String> thresholds) {
        this.thresholds = thresholds;
    }

    private static final class Acc {
        final String kind;
        final String lockClass;
        final String frame;
        long count;
        long total;
        long max;
        long firstNanos = Long.MAX_VALUE;
        long lastNanos = Long.MIN_VALUE;
        final Set<String> threads = new LinkedHashSet<>();

        boolean enteredInApp;

        Acc(String kind, String lockClass, String frame) {
            this.kind = kind;
            this.lockClass = lockClass;
            this.frame = frame;
        }
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("jdk.JavaMonitorEnter", "jdk.ThreadPark");
    }

    static boolean isLock(String parkedClass) {
        return parkedClass != null && parkedClass.endsWith("Sync") && !parkedClass.contains("CountDownLatch");
    }

    @Override
    public void accept(JfrEvent e) {
        String kind;
        JfrClass cls;
        if (e.type().name().equals("jdk.JavaMonitorEnter")) {
            kind = "monitor";
            cls = e.getClass("monitorClass");
        } else {
            kind = "park";
            cls = e.getClass("parkedClass");
            if (cls == null || !isLock(cls.getName())) {
                return;
            }
        }
        long nanos = e.durationNanos();
        String lockClass = cls == null ? "[unknown]" : cls.getName();
        JfrStack stack = e.stackTrace();
        String frame = profile.appFrame(stack);
        // A monitor's top Java frame is the method that entered it; a park sits in Unsafe.park under lock(), and the
        // frame that called lock() says whose lock it is (a pool worker taking from a LinkedBlockingQueue: the JDK's).
        boolean inApp = kind.equals("monitor") ? enteredInApp(stack) : lockedInApp(stack);
        Acc a = byKey.computeIfAbsent(kind + '|' + lockClass + '|' + frame + '|' + inApp,
                k -> new Acc(kind, lockClass, frame));
        a.enteredInApp = inApp;
        a.count++;
        a.total += nanos;
        a.max = Math.max(a.max, nanos);
        long startNanos = e.startNanos();
        a.firstNanos = Math.min(a.firstNanos, startNanos);
        a.lastNanos = Math.max(a.lastNanos, startNanos + nanos);
        JfrThread t = e.thread();
        if (t != null && a.threads.size() < 4096) {
            a.threads.add(t.getJavaName() == null ? "[native]" : t.getJavaName());
        }
        profile.add(stack, nanos);
    }

    /** Whether the first Java frame above the lock machinery (AQS, LockSupport, Unsafe) is application code. */
    private static boolean lockedInApp(JfrStack st) {
        if (st == null) {
            return true;
        }
        for (JfrFrame f : st.getFrames()) {
            if (f.isJavaFrame() && f.getMethod() != null) {
                String type = f.getMethod().getType().getName();
                if (type.startsWith("java.util.concurrent.locks.") || type.startsWith("jdk.internal.misc.")
                        || type.startsWith("sun.misc.")) {
                    continue;
                }
                return !dev.hotpath.analyzer.profile.Frames.isRuntime(type + '.' + f.getMethod().getName());
            }
        }
        return true;
    }

    private static boolean enteredInApp(JfrStack st) {
        if (st == null) {
            return true;
        }
        for (JfrFrame f : st.getFrames()) {
            if (f.isJavaFrame() && f.getMethod() != null) {
                String n = f.getMethod().getType().getName() + '.' + f.getMethod().getName();
                return !dev.hotpath.analyzer.profile.Frames.isRuntime(n);
            }
        }
        return true;
    }

    @Override
    public void absorb(JfrHandler later) {
        LockHandler o = (LockHandler) later;
        o.byKey.forEach((key, b) -> {
            Acc a = byKey.computeIfAbsent(key, k -> new Acc(b.kind, b.lockClass, b.frame));
            a.enteredInApp = b.enteredInApp;
            a.count += b.count;
            a.total += b.total;
            a.max = Math.max(a.max, b.max);
            a.firstNanos = Math.min(a.firstNanos, b.firstNanos);
            a.lastNanos = Math.max(a.lastNanos, b.lastNanos);
            // b.threads holds the later part's first 4096 names in order: the ones a serial read would add next
            for (String t : b.threads) {
                if (a.threads.size() >= 4096) {
                    break;
                }
                a.threads.add(t);
            }
        });
        profile.absorb(o.profile);
    }

    @Override
    public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
        if (byKey.isEmpty()) {
            return;
        }
        List<LockSummary.Contention> list = new ArrayList<>();
        for (Acc a : byKey.values()) {
            List<String> names = new ArrayList<>(a.threads);
            names.sort(null);
            list.add(new LockSummary.Contention(a.kind, a.lockClass, a.frame, a.count, a.total, a.max,
                    List.copyOf(names.subList(0, Math.min(8, names.size()))), names.size(),
                    Math.max(0, (a.lastNanos - a.firstNanos) / 1_000_000), a.enteredInApp));
        }
        list.sort(java.util.Comparator.comparingLong(LockSummary.Contention::totalNanos).reversed()
                .thenComparing(LockSummary.Contention::kind).thenComparing(LockSummary.Contention::lockClass)
                .thenComparing(LockSummary.Contention::frame)
                .thenComparing(LockSummary.Contention::enteredInApp));
        Map<String, String> th = new java.util.TreeMap<>();
        for (String ev : eventTypes()) {
            if (thresholds.containsKey(ev)) {
                th.put(ev, thresholds.get(ev));
            }
        }
        ctx.add(new LockSummary(artifact, list.size() > TOP ? list.subList(0, TOP) : list, info.durationMs(), th));
        ctx.add(new ProfileSummary(artifact, "lock", "nanos", profile.finish(), info.durationMs()));
    }
}
