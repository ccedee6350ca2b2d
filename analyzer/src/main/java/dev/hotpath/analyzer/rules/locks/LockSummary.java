package dev.hotpath.analyzer.rules.locks;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time threads spent blocked on locks, by lock class and blocking frame. JFR records only blocks longer than the
 * event threshold ({@code thresholds}: event name → setting, e.g. "20 ms"), so totals are lower bounds.
 *
 * @param contentions heaviest first (bounded)
 * @param durationMs  wall time the recording covers
 */
public record LockSummary(Artifact source, List<Contention> contentions, long durationMs,
                          Map<String, String> thresholds) implements Summary {
    public static final String KIND = "locks";

    /**
     * @param kind      {@code monitor} (synchronized, JavaMonitorEnter) or {@code park} (j.u.c. locks, ThreadPark)
     * @param lockClass the monitor's or the parked-on lock's class
     * @param frame     the deepest application frame of the blocked threads' stacks
     * @param threads   names of (up to 8 of) the threads that blocked here; {@code threadCount} all of them
     * @param spanMs    from the start of the first recorded block to the end of the last (0: unknown)
     * @param enteredInApp whether the lock is taken by application code itself (a monitor entered in {@code frame});
     *                     false when the monitor is entered inside JDK/library code that {@code frame} called
     */
    public record Contention(String kind, String lockClass, String frame, long count, long totalNanos, long maxNanos,
                             List<String> threads, int threadCount, long spanMs, boolean enteredInApp) {
        public Contention(String kind, String lockClass, String frame, long count, long totalNanos, long maxNanos,
                          List<String> threads, int threadCount) {
            this(kind, lockClass, frame, count, totalNanos, maxNanos, threads, threadCount, 0, true);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("lockClass", lockClass);
            m.put("frame", frame);
            m.put("count", count);
            m.put("totalNanos", totalNanos);
            m.put("maxNanos", maxNanos);
            m.put("threads", threads);
            m.put("threadCount", threadCount);
            m.put("spanMs", spanMs);
            m.put("enteredInApp", enteredInApp);
            return m;
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    public long totalBlockedNanos() {
        long t = 0;
        for (Contention c : contentions) {
            t += c.totalNanos();
        }
        return t;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (Contention c : contentions) {
            list.add(c.toJson());
        }
        m.put("contentions", list);
        m.put("durationMs", durationMs);
        m.put("thresholds", thresholds);
        return m;
    }
}
