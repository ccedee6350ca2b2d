package dev.hotpath.analyzer.rules;

import dev.hotpath.analyzer.model.Category;

import java.util.List;

/**
 * One diagnosis. Declarative at the top (id, category, thresholds with units and defaults, the summaries it needs),
 * then {@link #evaluate} maps a score onto a severity and emits findings whose text names the culprit and numbers.
 *
 * <p>Rules are found with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.hotpath.analyzer.rules.Rule}),
 * so a module adds a rule without editing a central list. A rule is stateless: one instance may evaluate many runs,
 * from several threads.
 *
 * <p>Missing data is not an error: a rule whose summaries are absent emits nothing.
 */
public interface Rule {
    /** Stable id, also the finding id prefix, e.g. {@code gc.long-pauses}. */
    String id();

    Category category();

    /** One line for README's rule table. */
    String description();

    List<Threshold> thresholds();

    /** {@link Scope#ARTIFACT}: evaluated once per artifact on its own summaries; {@link Scope#RUN}: once on all of a run's. */
    default Scope scope() {
        return Scope.ARTIFACT;
    }

    void evaluate(RuleContext ctx);

    enum Scope { ARTIFACT, RUN }
}
