package dev.hotpath.analyzer.rules.gc;

/** What to change, by collector and cause; shared by the pause rules so the advice reads the same everywhere. */
final class GcAdvice {
    private GcAdvice() {
    }

    static String forPauses(String gcName, String collector, String cause) {
        if ("System.gc()".equals(cause)) {
            return "Find and remove the explicit System.gc() calls (see gc.system-gc for their count), or run with "
                    + "-XX:+ExplicitGCInvokesConcurrent (G1) / -XX:+DisableExplicitGC so they no longer stop the world.";
        }
        if (GcSummaryBuilder.isFull(collector)) {
            return "Full collections stop every thread for the whole heap: give the heap headroom over the live set "
                    + "(-Xmx, or lower the live set), and check gc.live-set-growth for a leak that fills the old generation.";
        }
        if ("Parallel".equals(gcName) || "Serial".equals(gcName)) {
            return "The " + gcName + " collector trades latency for throughput: for request latency use G1 "
                    + "(-XX:+UseG1GC -XX:MaxGCPauseMillis=<target>) or ZGC (-XX:+UseZGC).";
        }
        if ("G1".equals(gcName)) {
            return "Lower -XX:MaxGCPauseMillis so G1 sizes the young generation for shorter pauses, reduce the "
                    + "allocation rate (see the allocation findings), or move to ZGC (-XX:+UseZGC) for sub-millisecond pauses.";
        }
        return "Reduce the allocation rate and the live set, or choose a low-pause collector (ZGC).";
    }
}
