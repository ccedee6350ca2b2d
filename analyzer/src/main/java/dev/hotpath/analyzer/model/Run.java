package dev.hotpath.analyzer.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One analysed run: what was read, what it was digested into, and what was found.
 *
 * @param id        workspace id (assigned by the store; {@code null} before storing)
 * @param name      user-given name ({@code --run}) or a generated one
 * @param summaries stored summaries by {@link Summary#kind()} (JSON-compatible values)
 */
public record Run(String id, String name, Instant createdAt, List<Artifact> artifacts, List<Finding> findings,
                  Map<String, Object> summaries, List<String> notes) {
    public Run {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        findings = findings == null ? List.of() : List.copyOf(findings);
        summaries = summaries == null ? Map.of() : Map.copyOf(summaries);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public Run withId(String newId) {
        return new Run(newId, name, createdAt, artifacts, findings, summaries, notes);
    }

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }
}
