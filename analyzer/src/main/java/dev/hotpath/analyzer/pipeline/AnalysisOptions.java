package dev.hotpath.analyzer.pipeline;

import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.rules.RuleSettings;

import java.util.List;

/**
 * How to analyse: the run's name ({@code null}: generated), threshold overrides, and the baseline's summaries
 * ({@code --baseline}, empty without one) that rules see through {@code RuleContext.baselineSummaries}.
 */
public record AnalysisOptions(String runName, RuleSettings settings, List<Summary> baseline) {
    public AnalysisOptions {
        settings = settings == null ? RuleSettings.defaults() : settings;
        baseline = baseline == null ? List.of() : List.copyOf(baseline);
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(null, null, null);
    }
}
