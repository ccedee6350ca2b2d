package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.RuleSettings;
import dev.hotpath.analyzer.rules.io.IoDeviceComparisonRule;
import dev.hotpath.analyzer.rules.io.IoForcePerWriteRule;
import dev.hotpath.analyzer.rules.io.IoHotSocketPeerRule;
import dev.hotpath.analyzer.rules.io.IoRandomReadsRule;
import dev.hotpath.analyzer.rules.io.IoReadAmplificationRule;
import dev.hotpath.analyzer.rules.io.IoSlowTargetRule;
import dev.hotpath.analyzer.rules.io.IoSmallWritesRule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs the agent-snapshot io rules over one snapshot (and optionally a device baseline) without the full analysis
 * pipeline: what {@code hotpath io} uses. Findings come out most severe first, in rule order within a severity.
 */
public final class IoAnalysis {
    public static final List<Rule> RULES = List.of(new IoSmallWritesRule(), new IoForcePerWriteRule(),
            new IoRandomReadsRule(), new IoReadAmplificationRule(), new IoSlowTargetRule(), new IoHotSocketPeerRule(),
            new IoDeviceComparisonRule());

    private IoAnalysis() {
    }

    public static List<Finding> run(List<? extends Summary> summaries, RuleSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (Rule rule : RULES) {
            rule.evaluate(new Context(rule, summaries, settings, out));
        }
        out.sort(Comparator.comparing(Finding::severity).reversed());
        return out;
    }

    private record Context(Rule rule, List<? extends Summary> summaries, RuleSettings settings, List<Finding> sink)
            implements RuleContext {
        @Override
        public <T extends Summary> List<T> summaries(Class<T> type) {
            List<T> out = new ArrayList<>();
            for (Summary s : summaries) {
                if (type.isInstance(s)) {
                    out.add(type.cast(s));
                }
            }
            return out;
        }

        @Override
        public double threshold(String name) {
            return settings.value(rule, name);
        }

        @Override
        public <T extends Summary> List<T> baselineSummaries(Class<T> type) {
            return List.of();
        }

        @Override
        public void emit(Finding finding) {
            sink.add(finding);
        }
    }
}
