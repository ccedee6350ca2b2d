package dev.hotpath.analyzer.rules;

import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Summary;

import java.util.List;
import java.util.Optional;

/** What a rule sees while it evaluates: summaries (of one artifact or of the whole run), its thresholds, a sink. */
public interface RuleContext {
    /** Summaries in scope of the given type, in artifact order; empty when there are none. */
    <T extends Summary> List<T> summaries(Class<T> type);

    /** The first summary of the type, if any. */
    default <T extends Summary> Optional<T> summary(Class<T> type) {
        List<T> all = summaries(type);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** The rule's threshold, with the user's {@code --set} override applied; unknown names throw. */
    double threshold(String name);

    /** Summaries of the baseline run ({@code --baseline}), if one was given; empty otherwise. */
    <T extends Summary> List<T> baselineSummaries(Class<T> type);

    void emit(Finding finding);
}
