package dev.hotpath.analyzer.pipeline;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Summary;

import java.util.List;
import java.util.Map;

/**
 * The result of {@link Analyzer#analyze}: the run (usable artifacts, findings, stored summaries, notes), the inputs
 * that could not be used, and the typed summaries per artifact (for a later baseline or a caller that wants them).
 */
public record Analysis(Run run, List<Problem> problems, Map<Artifact, List<Summary>> summaries) {
    public Analysis {
        problems = List.copyOf(problems);
        summaries = Map.copyOf(summaries);
    }

    /** True when at least one input was detected and accepted. */
    public boolean usable() {
        return !run.artifacts().isEmpty();
    }

    public List<Summary> allSummaries() {
        return run.artifacts().stream().flatMap(a -> summaries.getOrDefault(a, List.of()).stream()).toList();
    }
}
