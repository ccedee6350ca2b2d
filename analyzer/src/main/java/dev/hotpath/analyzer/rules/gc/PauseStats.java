package dev.hotpath.analyzer.rules.gc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stop-the-world time of one collector for one cause. One sample per collection: the sum of that collection's pauses
 * (JFR {@code jdk.GarbageCollection.sumOfPauses}; in a GC log, the pause lines sharing a {@code GC(n)} id), so JFR and
 * log sources give the same numbers for the same run.
 */
public record PauseStats(String collector, String cause, long count, long totalNanos, long p50Nanos, long p90Nanos,
                         long p99Nanos, long p999Nanos, long maxNanos) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("collector", collector);
        m.put("cause", cause);
        m.put("count", count);
        m.put("totalNanos", totalNanos);
        m.put("p50Nanos", p50Nanos);
        m.put("p90Nanos", p90Nanos);
        m.put("p99Nanos", p99Nanos);
        m.put("p999Nanos", p999Nanos);
        m.put("maxNanos", maxNanos);
        return m;
    }
}
