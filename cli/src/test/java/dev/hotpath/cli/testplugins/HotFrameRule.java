package dev.hotpath.cli.testplugins;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;
import java.util.Map;

/**
 * Test rule {@code test.hot-frame} (per artifact): the hottest leaf frame, warning at {@code warningSharePercent},
 * critical at {@code criticalSharePercent}, info below. A leaf named {@code test.Boom} makes it throw; with a
 * baseline, the evidence carries the baseline's share of the same frame.
 */
public final class HotFrameRule implements Rule {
    @Override
    public String id() {
        return "test.hot-frame";
    }

    @Override
    public Category category() {
        return Category.CPU;
    }

    @Override
    public String description() {
        return "Test rule: the hottest leaf frame of collapsed stacks";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warningSharePercent", 50, "percent", "share of samples for a warning"),
                new Threshold("criticalSharePercent", 90, "percent", "share of samples for a critical finding"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (HotFrames h : ctx.summaries(HotFrames.class)) {
            Map.Entry<String, Long> top = h.samplesByLeaf().entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow();
            if (top.getKey().equals("test.Boom")) {
                throw new IllegalStateException("boom");
            }
            long share = Math.round(100.0 * top.getValue() / h.total());
            Severity s = share >= ctx.threshold("criticalSharePercent") ? Severity.CRITICAL
                    : share >= ctx.threshold("warningSharePercent") ? Severity.WARNING : Severity.INFO;
            Finding.Builder f = Finding.builder(id(), Category.CPU).severity(s)
                    .title(top.getKey() + " is on top of " + share + "% of samples")
                    .summary(top.getValue() + " of " + h.total() + " samples end in " + top.getKey())
                    .evidence("frame", top.getKey()).evidence("samples", top.getValue())
                    .evidence("sharePercent", share)
                    .recommendation("Look at " + top.getKey());
            for (HotFrames b : ctx.baselineSummaries(HotFrames.class)) {
                Long base = b.samplesByLeaf().get(top.getKey());
                f.evidence("baselineSharePercent", base == null ? 0 : Math.round(100.0 * base / b.total()));
            }
            ctx.emit(f.build());
        }
    }
}
