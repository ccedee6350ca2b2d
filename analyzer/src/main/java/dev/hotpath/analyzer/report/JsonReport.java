package dev.hotpath.analyzer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings JSON contract of DESIGN.md: {@code findings[]} (id, severity, category, title, summary, evidence,
 * recommendation, sources) and {@code artifacts[]} (path, type, sizeBytes, sha256, then the type's attributes), plus
 * {@code run} (id, name, createdAt) and {@code notes}. Field names are stable; scripts rely on them.
 */
public final class JsonReport {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private JsonReport() {
    }

    public static String render(Run run) {
        try {
            return MAPPER.writeValueAsString(tree(run)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("evidence must be JSON-compatible: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> tree(Run run) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> findings = new ArrayList<>();
        for (Finding f : run.findings()) {
            findings.add(finding(f));
        }
        root.put("findings", findings);
        List<Object> artifacts = new ArrayList<>();
        for (Artifact a : run.artifacts()) {
            artifacts.add(artifact(a));
        }
        root.put("artifacts", artifacts);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", run.id());
        r.put("name", run.name());
        r.put("createdAt", run.createdAt().toString());
        root.put("run", r);
        root.put("notes", run.notes());
        return root;
    }

    /** One finding as the contract spells it; the UI's API serves the same shape. */
    public static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("severity", f.severity().id());
        m.put("category", f.category().id());
        m.put("title", f.title());
        m.put("summary", f.summary());
        m.put("evidence", f.evidence());
        m.put("recommendation", f.recommendation());
        m.put("sources", f.sources());
        if (!f.source().equals(Finding.SOURCE_HOTPATH)) {
            m.put("source", f.source()); // only on findings of another tool's rules: the contract stays as it was
        }
        return m;
    }

    /** One artifact as the contract spells it; the UI's API serves the same shape. */
    public static Map<String, Object> artifact(Artifact a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", a.path().toString());
        m.put("type", a.type().id());
        m.put("sizeBytes", a.sizeBytes());
        m.put("sha256", a.sha256());
        a.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
        return m;
    }
}
