package dev.hotpath.analyzer.rules.heap;

import dev.hotpath.analyzer.heap.HeapReport;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

/**
 * {@code heap.growth}: a holder whose retained bytes grew between two dumps of one process — consecutive HPROF
 * artifacts of the run (in artifact order), or the baseline run's last dump against this run's first. Needs
 * {@link HeapSummary}. Threshold {@code growthPercent} (default 5, growth as a percent of the newer reachable heap);
 * critical at 4× the threshold. Result: holder, element class, elements and bytes before and after.
 */
public final class HeapGrowthRule implements Rule {
    public static final String ID = "heap.growth";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.HEAP;
    }

    @Override
    public String description() {
        return "A holder's retained heap grew between two dumps of one process";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("growthPercent", 5, "percent", "growth of one holder as a share of the newer heap"));
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<HeapSummary> dumps = ctx.summaries(HeapSummary.class);
        List<HeapSummary> baseline = ctx.baselineSummaries(HeapSummary.class);
        if (!baseline.isEmpty() && !dumps.isEmpty()) {
            compare(ctx, baseline.get(baseline.size() - 1), dumps.get(0));
        }
        for (int i = 1; i < dumps.size(); i++) {
            compare(ctx, dumps.get(i - 1), dumps.get(i));
        }
    }

    private void compare(RuleContext ctx, HeapSummary older, HeapSummary newer) {
        double min = ctx.threshold("growthPercent");
        long heap = Math.max(1, newer.report().reachableBytes());
        for (HeapReport.HolderGrowth g : newer.digest().holderGrowthSince(older.digest(), 10)) {
            long grew = g.retainedAfter() - g.retainedBefore();
            double pct = Math.round(1000.0 * grew / heap) / 10.0;
            if (pct < min) {
                continue;
            }
            long elements = g.elementsAfter() - g.elementsBefore();
            ctx.emit(Finding.builder(ID, Category.HEAP)
                    .severity(pct >= 4 * min ? Severity.CRITICAL : Severity.WARNING)
                    .title(g.holder() + " grew by " + grew + " bytes (" + pct + "% of the heap) and " + elements
                            + " elements between " + older.source().sourceName() + " and " + newer.source().sourceName())
                    .summary(g.holder() + " held " + g.elementsBefore() + " then " + g.elementsAfter() + " elements of "
                            + g.elementClass() + ", retaining " + g.retainedBefore() + " then " + g.retainedAfter() + " bytes")
                    .evidence("holder", g.holder())
                    .evidence("elementClass", g.elementClass())
                    .evidence("elementsBeforeCount", g.elementsBefore())
                    .evidence("elementsAfterCount", g.elementsAfter())
                    .evidence("retainedBeforeBytes", g.retainedBefore())
                    .evidence("retainedAfterBytes", g.retainedAfter())
                    .evidence("growthBytes", grew)
                    .evidence("sharePercent", pct)
                    .recommendation("Check what adds to " + g.holder() + " and what should remove from it; a holder that only grows is a leak.")
                    .source(older.source().sourceName())
                    .source(newer.source().sourceName())
                    .build());
        }
    }
}
