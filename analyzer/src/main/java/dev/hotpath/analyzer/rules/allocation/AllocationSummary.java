package dev.hotpath.analyzer.rules.allocation;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Allocation by class over one artifact. Bytes are the sampler's estimate (JFR {@code ObjectAllocationSample} weights,
 * or TLAB sizes), so rates are estimates too; {@code method} says which.
 *
 * @param totalBytes estimated bytes allocated in {@code durationMs}
 * @param byClass    heaviest classes first (bounded)
 */
public record AllocationSummary(Artifact source, long totalBytes, long durationMs, String method,
                                List<ClassBytes> byClass) implements Summary {
    public static final String KIND = "allocation";

    public record ClassBytes(String className, long bytes) {
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Bytes per second over the covered time, 0 when the duration is unknown. */
    public double bytesPerSecond() {
        return durationMs <= 0 ? 0 : totalBytes * 1000.0 / durationMs;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalBytes", totalBytes);
        m.put("durationMs", durationMs);
        m.put("method", method);
        List<Object> classes = new ArrayList<>();
        for (ClassBytes c : byClass) {
            classes.add(Map.of("class", c.className(), "bytes", c.bytes()));
        }
        m.put("byClass", classes);
        return m;
    }
}
