package dev.hotpath.ui;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.report.JsonReport;
import dev.hotpath.analyzer.store.RunInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's JSON shapes, as plain maps so that field names are exactly the documented ones (README "UI JSON API")
 * and match the findings contract of {@code analyze --json}.
 */
final class ApiJson {
    private ApiJson() {
    }

    static Map<String, Object> runInfo(RunInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", info.id());
        m.put("name", info.name());
        m.put("createdAt", info.createdAt().toString());
        m.put("artifacts", info.artifacts());
        m.put("worst", info.worst() == null ? null : info.worst().id());
        m.put("counts", counts(info.counts()));
        return m;
    }

    static Map<String, Object> counts(Map<Severity, Integer> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Severity s : new Severity[]{Severity.CRITICAL, Severity.WARNING, Severity.INFO}) {
            m.put(s.id(), counts.getOrDefault(s, 0));
        }
        return m;
    }

    static Map<String, Object> run(Run run) {
        Map<Severity, Integer> counts = new LinkedHashMap<>();
        for (Finding f : run.findings()) {
            counts.merge(f.severity(), 1, Integer::sum);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", run.id());
        m.put("name", run.name());
        m.put("createdAt", run.createdAt().toString());
        m.put("counts", counts(counts));
        m.put("notes", run.notes());
        m.put("artifacts", artifacts(run));
        m.put("summaries", new ArrayList<>(new java.util.TreeSet<>(run.summaries().keySet())));
        return m;
    }

    static List<Map<String, Object>> findings(Run run) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Finding f : run.findings()) {
            out.add(JsonReport.finding(f));
        }
        return out;
    }

    /** The contract's artifact entry plus {@code name}, the short name findings use in {@code sources}. */
    static List<Map<String, Object>> artifacts(Run run) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Artifact a : run.artifacts()) {
            Map<String, Object> m = JsonReport.artifact(a);
            m.put("name", a.sourceName());
            out.add(m);
        }
        return out;
    }
}
