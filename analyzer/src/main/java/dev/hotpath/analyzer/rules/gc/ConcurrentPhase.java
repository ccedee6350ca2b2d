package dev.hotpath.analyzer.rules.gc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The time one concurrent phase of the collector took, over all its runs ("Concurrent Mark", "Concurrent Relocate
 * (young)", "Concurrent evacuation"). The application kept running meanwhile, so this is not lost time; it is the
 * collector's own threads busy, and the heap had to have room for what the application allocated until it ended.
 */
public record ConcurrentPhase(String name, long count, long totalNanos, long p50Nanos, long p99Nanos, long maxNanos) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("count", count);
        m.put("totalNanos", totalNanos);
        m.put("p50Nanos", p50Nanos);
        m.put("p99Nanos", p99Nanos);
        m.put("maxNanos", maxNanos);
        return m;
    }
}
