package dev.hotpath.analyzer.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A ranked, evidenced diagnosis. Field names are the findings JSON contract (DESIGN.md).
 *
 * <p>Every number in {@code title} or {@code summary} is also an entry of {@code evidence}; evidence keys carry their
 * unit as a suffix ({@code p99PauseMs}, {@code growthBytesPerMin}, {@code sharePercent}, {@code count}) so that a
 * script reading the JSON never has to guess. Values are JSON-compatible: String, Number, Boolean, List, Map.
 */
public record Finding(String id, Severity severity, Category category, String title, String summary,
                      Map<String, Object> evidence, String recommendation, List<String> sources) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(title, "title");
        summary = summary == null ? "" : summary;
        recommendation = recommendation == null ? "" : recommendation;
        evidence = evidence == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** {@link #source()} of hotpath's own rules. */
    public static final String SOURCE_HOTPATH = "hotpath";

    /**
     * Whose rule made this finding: {@code "jmc"} for JDK Mission Control's rules ({@code analyze --jmc-rules}, ids
     * {@code jmc.<RuleId>}), else {@code "hotpath"}. The findings JSON carries it as {@code source} on findings that
     * are not hotpath's own.
     */
    public String source() {
        return id.startsWith("jmc.") ? "jmc" : SOURCE_HOTPATH;
    }

    public static Builder builder(String id, Category category) {
        return new Builder(id, category);
    }

    /** Keeps evidence in insertion order, which is the order reports print it in. */
    public static final class Builder {
        private final String id;
        private final Category category;
        private Severity severity = Severity.INFO;
        private String title = "";
        private String summary = "";
        private String recommendation = "";
        private final Map<String, Object> evidence = new LinkedHashMap<>();
        private final List<String> sources = new java.util.ArrayList<>();

        private Builder(String id, Category category) {
            this.id = id;
            this.category = category;
        }

        public Builder severity(Severity s) { this.severity = s; return this; }
        public Builder title(String t) { this.title = t; return this; }
        public Builder summary(String s) { this.summary = s; return this; }
        public Builder recommendation(String r) { this.recommendation = r; return this; }
        public Builder evidence(String key, Object value) { evidence.put(key, value); return this; }
        public Builder source(String s) { if (!sources.contains(s)) sources.add(s); return this; }
        public Builder sources(java.util.Collection<String> s) { s.forEach(this::source); return this; }

        public Finding build() {
            return new Finding(id, severity, category, title, summary, evidence, recommendation, sources);
        }
    }
}
