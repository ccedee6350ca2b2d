package dev.hotpath.analyzer.rules.heap;

import dev.hotpath.analyzer.heap.HeapDigest;
import dev.hotpath.analyzer.heap.HeapReport;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.List;
import java.util.Map;

/**
 * What the HPROF ingester keeps of one dump: the report (suspects, top dominators, waste, histogram top) and the
 * digest a later dump of the same process is compared with. Bounded: no object table. Stored as the Heap JSON plus
 * {@code reachableBytes}, {@code dominatorTree} (the bounded tree in pre-order) and each suspect's {@code pathToRoot},
 * for the UI.
 */
public record HeapSummary(Artifact source, HeapReport report, HeapDigest digest) implements Summary {
    public static final String KIND = "heap.analysis";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object toJson() {
        // The Heap JSON plus what the web UI's dominator tree needs (additions; the CLI's heap --json is unchanged).
        Map<String, Object> json = report.toJson();
        json.put("reachableBytes", report.reachableBytes());
        json.put("dominatorTree", report.dominatorTreeJson());
        if (json.get("suspects") instanceof List<?> suspects) {
            for (int i = 0; i < suspects.size() && i < report.suspects().size(); i++) {
                if (suspects.get(i) instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> suspect = (Map<String, Object>) m;
                    suspect.put("pathToRoot", report.suspects().get(i).pathToRoot());
                }
            }
        }
        return json;
    }
}
