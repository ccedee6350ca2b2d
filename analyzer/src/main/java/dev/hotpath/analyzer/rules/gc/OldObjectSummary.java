package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JFR's old-object samples ({@code jdk.OldObjectSample}, written at the end of the recording): sampled allocations
 * still alive then, i.e. candidates for what a growing live set is made of. Counts are samples, not objects.
 *
 * @param byClass the sampled objects' classes, most first (bounded)
 * @param byFrame the deepest application frame of their allocation stacks, most first (bounded)
 */
public record OldObjectSummary(Artifact source, long samples, List<Count> byClass, List<Count> byFrame)
        implements Summary {
    public static final String KIND = "gc.old-objects";

    public record Count(String name, long samples) {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        List<Object> c = new ArrayList<>();
        for (Count x : byClass) {
            c.add(Map.of("class", x.name(), "samples", x.samples()));
        }
        m.put("byClass", c);
        List<Object> f = new ArrayList<>();
        for (Count x : byFrame) {
            f.add(Map.of("frame", x.name(), "samples", x.samples()));
        }
        m.put("byFrame", f);
        return m;
    }
}
