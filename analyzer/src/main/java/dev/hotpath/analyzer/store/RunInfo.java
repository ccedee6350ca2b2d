package dev.hotpath.analyzer.store;

import dev.hotpath.analyzer.model.Severity;

import java.time.Instant;
import java.util.Map;

/** A run as listed ({@code GET /api/runs}): identity, time, and counts, without its findings. */
public record RunInfo(String id, String name, Instant createdAt, int artifacts, Map<Severity, Integer> counts) {
    public RunInfo {
        counts = Map.copyOf(counts);
    }

    /** The worst severity with at least one finding, or {@code null} for a run with none. */
    public Severity worst() {
        for (Severity s : new Severity[]{Severity.CRITICAL, Severity.WARNING, Severity.INFO}) {
            if (counts.getOrDefault(s, 0) > 0) {
                return s;
            }
        }
        return null;
    }
}
