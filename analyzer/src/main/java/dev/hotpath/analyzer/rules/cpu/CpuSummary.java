package dev.hotpath.analyzer.rules.cpu;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU use of the JVM against the machine ({@code jdk.CPULoad}, fractions of all hardware threads), and the JIT's
 * churn ({@code jdk.Deoptimization}, {@code jdk.Compilation}).
 *
 * @param loadSamples        number of CPULoad samples (0: not recorded; the averages are then 0)
 * @param jvmAvg             JVM user+system, average fraction of the machine
 * @param machineAvg         whole machine, average fraction
 * @param hwThreads          hardware threads of the machine ({@code jdk.CPUInformation}), 0 when unknown
 * @param deoptimizations    all deoptimizations; {@code deoptByMethod} the most frequent methods (bounded)
 * @param compilations       recorded compilations (only those above the Compilation event's threshold)
 */
public record CpuSummary(Artifact source, long loadSamples, double jvmAvg, double machineAvg, double machineMax,
                         int hwThreads, long deoptimizations, List<MethodCount> deoptByMethod, long compilations,
                         long compilationNanos, long durationMs) implements Summary {
    public static final String KIND = "cpu";

    /** @param reason the most frequent deoptimization reason of the method */
    public record MethodCount(String method, long count, String reason) {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loadSamples", loadSamples);
        m.put("jvmAvg", jvmAvg);
        m.put("machineAvg", machineAvg);
        m.put("machineMax", machineMax);
        m.put("hwThreads", hwThreads);
        m.put("deoptimizations", deoptimizations);
        List<Object> d = new ArrayList<>();
        for (MethodCount c : deoptByMethod) {
            d.add(Map.of("method", c.method(), "count", c.count(), "reason", c.reason()));
        }
        m.put("deoptByMethod", d);
        m.put("compilations", compilations);
        m.put("compilationNanos", compilationNanos);
        m.put("durationMs", durationMs);
        return m;
    }
}
