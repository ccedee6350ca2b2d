package dev.hotpath.analyzer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SARIF 2.1.0 (OASIS), so CI systems show findings as annotations: one {@code run} whose {@code tool.driver.rules}
 * lists every rule that produced a finding (described from its declaration when installed), {@code artifacts} with
 * SHA-256 hashes, and one {@code result} per finding with {@code ruleId}, {@code ruleIndex}, {@code level}
 * (critical → error, warning → warning, info → note), {@code message.text} and the locations of its source artifacts.
 */
public final class SarifReport {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    public static final String VERSION = "2.1.0";

    private SarifReport() {
    }

    public static String render(Run run, List<Rule> declared, String toolVersion) {
        List<String> ruleIds = new ArrayList<>();
        for (Finding f : run.findings()) {
            if (!ruleIds.contains(f.id())) {
                ruleIds.add(f.id());
            }
        }
        List<Object> rules = new ArrayList<>();
        for (String id : ruleIds) {
            rules.add(rule(id, declaring(id, declared), firstOf(run, id)));
        }
        List<Object> artifacts = new ArrayList<>();
        for (Artifact a : run.artifacts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("location", Map.of("uri", a.path().toUri().toString()));
            m.put("length", a.sizeBytes());
            if (a.sha256() != null) {
                m.put("hashes", Map.of("sha-256", a.sha256()));
            }
            m.put("properties", Map.of("type", a.type().id()));
            artifacts.add(m);
        }
        List<Object> results = new ArrayList<>();
        for (Finding f : run.findings()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ruleId", f.id());
            r.put("ruleIndex", ruleIds.indexOf(f.id()));
            r.put("level", level(f.severity()));
            r.put("message", Map.of("text", f.summary().isEmpty() ? f.title() : f.title() + ". " + f.summary()));
            List<Object> locations = new ArrayList<>();
            for (String source : f.sources()) {
                int index = indexOf(run.artifacts(), source);
                Map<String, Object> loc = new LinkedHashMap<>();
                loc.put("uri", index >= 0 ? run.artifacts().get(index).path().toUri().toString() : source);
                if (index >= 0) {
                    loc.put("index", index);
                }
                locations.add(Map.of("physicalLocation", Map.of("artifactLocation", loc)));
            }
            r.put("locations", locations);
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("severity", f.severity().id());
            props.put("category", f.category().id());
            props.put("evidence", f.evidence());
            if (!f.recommendation().isEmpty()) {
                props.put("recommendation", f.recommendation());
            }
            r.put("properties", props);
            results.add(r);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "hotpath");
        driver.put("version", toolVersion);
        driver.put("rules", rules);
        Map<String, Object> sarifRun = new LinkedHashMap<>();
        sarifRun.put("tool", Map.of("driver", driver));
        sarifRun.put("artifacts", artifacts);
        sarifRun.put("results", results);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", SCHEMA);
        root.put("version", VERSION);
        root.put("runs", List.of(sarifRun));
        try {
            return JsonReport.MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("evidence must be JSON-compatible: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> rule(String id, Rule rule, Finding example) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        String description = rule != null ? rule.description() : example.title();
        m.put("shortDescription", Map.of("text", description));
        m.put("defaultConfiguration", Map.of("level", level(example.severity())));
        m.put("properties", Map.of("category", example.category().id()));
        return m;
    }

    /** The rule whose id is the finding's id or its prefix ({@code gc.long-pauses} declares {@code gc.long-pauses.x}). */
    private static Rule declaring(String findingId, List<Rule> declared) {
        Rule best = null;
        for (Rule r : declared) {
            if (findingId.equals(r.id()) || findingId.startsWith(r.id() + ".")) {
                if (best == null || r.id().length() > best.id().length()) {
                    best = r;
                }
            }
        }
        return best;
    }

    private static Finding firstOf(Run run, String id) {
        return run.findings().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
    }

    private static int indexOf(List<Artifact> artifacts, String source) {
        for (int i = 0; i < artifacts.size(); i++) {
            if (artifacts.get(i).sourceName().equals(source) || artifacts.get(i).path().toString().equals(source)) {
                return i;
            }
        }
        return -1;
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }
}
