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
 * {@code heap.leak-suspect}: one holder (or one class's instances) retains a large share of the reachable heap.
 * Needs {@link HeapSummary}. Thresholds: {@code retainedPercent} (default 10; the engine looks no lower, so only
 * raising it changes the result), {@code criticalPercent} (default 30). Result: the holder as a user reads it, the
 * retained bytes and share, the accumulation point with its element class and count.
 */
public final class HeapLeakSuspectRule implements Rule {
    public static final String ID = "heap.leak-suspect";

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
        return "A single holder or one class's instances retain a large share of the heap (MAT-style leak suspect)";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("retainedPercent", 10, "percent", "share of the reachable heap a suspect retains"),
                new Threshold("criticalPercent", 30, "percent", "share at which the suspect is critical"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double min = ctx.threshold("retainedPercent");
        double critical = ctx.threshold("criticalPercent");
        for (HeapSummary s : ctx.summaries(HeapSummary.class)) {
            for (HeapReport.Suspect sus : s.report().suspects()) {
                if (sus.percent() < min) {
                    continue;
                }
                HeapReport.Accumulation acc = sus.accumulation();
                double pct = Math.round(sus.percent() * 10) / 10.0;
                Finding.Builder f = Finding.builder(ID, Category.HEAP)
                        .severity(sus.percent() >= critical ? Severity.CRITICAL : Severity.WARNING)
                        .title(sus.title())
                        .summary(sus.holder() + " keeps " + sus.retainedBytes() + " bytes (" + pct + "% of the reachable heap) alive"
                                + (acc.elements() > 0 ? "; the bulk sits in " + acc.className() + " with " + acc.elements()
                                + " elements of " + acc.elementClass() : ""))
                        .evidence("holder", sus.holder())
                        .evidence("class", sus.className())
                        .evidence("retainedBytes", sus.retainedBytes())
                        .evidence("sharePercent", pct)
                        .evidence("accumulationClass", acc.className())
                        .evidence("elementClass", acc.elementClass())
                        .evidence("elementsCount", acc.elements())
                        .evidence("classLoadersCount", sus.classLoaders())
                        .evidence("pathToRoot", sus.pathToRoot())
                        .recommendation("Find where " + sus.holder() + " is filled and bound it (evict, cap, or remove entries"
                                + " when their owner ends); if it is meant to be this large, size the heap for it.")
                        .source(s.source().sourceName());
                ctx.emit(f.build());
            }
        }
    }
}
