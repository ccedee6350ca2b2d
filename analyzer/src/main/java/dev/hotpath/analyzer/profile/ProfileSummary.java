package dev.hotpath.analyzer.profile;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One profile of a run as bounded collapsed stacks: CPU samples (JFR {@code jdk.ExecutionSample}, async-profiler cpu),
 * allocation (bytes), lock (nanoseconds blocked) or wall. The same type whatever the source, so the cpu and allocation
 * rules and the UI's flame graphs read JFR, async-profiler JFR and collapsed files alike.
 *
 * @param type       {@code cpu}, {@code alloc}, {@code lock} or {@code wall}
 * @param unit       unit of the weights: {@code samples}, {@code bytes} or {@code nanos}
 * @param durationMs time the profile covers, 0 when unknown (collapsed files carry no time)
 */
public record ProfileSummary(Artifact source, String type, String unit, CollapsedProfile profile, long durationMs)
        implements Summary {
    /** Stacks kept in the stored JSON; the UI's flame graph needs the heavy ones, not the long tail. */
    public static final int JSON_STACKS = 2_000;

    @Override
    public String kind() {
        return "profile." + type;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("unit", unit);
        m.put("samples", profile.samples());
        m.put("weight", profile.weight());
        m.put("durationMs", durationMs);
        m.put("distinctStacks", profile.distinctStacks());
        m.put("stacks", profile.toJson(JSON_STACKS));
        return m;
    }
}
