package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.nativemem.jemalloc.MallocStats;

import java.util.LinkedHashMap;
import java.util.Map;

/** jemalloc's exit statistics: allocated/active/resident/retained and the fragmentation they imply. */
public record JemallocStatsSummary(Artifact source, MallocStats stats) implements Summary {
    public static final String KIND = "native.jemalloc-stats";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allocatedBytes", stats.allocated());
        m.put("activeBytes", stats.active());
        m.put("residentBytes", stats.resident());
        m.put("retainedBytes", stats.retained());
        m.put("fragmentationPercent", Math.round(stats.fragmentation() * 1000) / 10.0);
        return m;
    }
}
