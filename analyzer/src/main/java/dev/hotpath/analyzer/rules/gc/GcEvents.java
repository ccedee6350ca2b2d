package dev.hotpath.analyzer.rules.gc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of the collector's distress signals.
 *
 * @param fullGcs             stop-the-world collections of the whole heap (G1Full, ParallelOld, SerialOld)
 * @param systemGcs           collections whose cause is {@code System.gc()} (JFR: also {@code jdk.SystemGC} events)
 * @param humongousAllocations G1 collections caused by humongous allocations (objects ≥ half a region)
 * @param evacuationFailures  G1 evacuation failures / to-space exhausted
 * @param allocationStalls    ZGC threads stalled waiting for memory; {@code allocationStallNanos} their total time
 * @param systemGcCallers     application frames that called System.gc(), most calls first (JFR only; bounded)
 */
public record GcEvents(long fullGcs, long systemGcs, long humongousAllocations, long evacuationFailures,
                       long allocationStalls, long allocationStallNanos, java.util.List<String> systemGcCallers) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fullGcs", fullGcs);
        m.put("systemGcs", systemGcs);
        m.put("humongousAllocations", humongousAllocations);
        m.put("evacuationFailures", evacuationFailures);
        m.put("allocationStalls", allocationStalls);
        m.put("allocationStallNanos", allocationStallNanos);
        m.put("systemGcCallers", systemGcCallers);
        return m;
    }
}
