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
 * {@code heap.leak-suspect}: one holder retains a large share of the reachable heap of one dump. Needs
 * {@link HeapSummary}. Thresholds: {@code retainedPercent} (default 10; the engine looks no lower, so only raising
 * it changes the result), {@code criticalPercent} (default 30). Result: the holder as a user reads it, the retained
 * bytes and share, the accumulation point with its element class and count.
 *
 * <p>Severity follows how a leak shows itself. One dump shows size, not growth: a big holder in a small heap is as
 * often a bounded cache doing its job as a leak, so a single dump's suspect is info; the evidence of a leak is growth
 * between two dumps of one process ({@link HeapGrowthRule}). A suspect is a warning only when it fills a large part
 * of a heap big enough to matter (at least {@code criticalPercent} of the reachable heap and at least
 * {@code warnMiB}), where it threatens the process whether or not it is meant to be there. Not suspects at all:
 * JDK-internal holders (JDK statics, JNI globals: filled and sized by the JDK) and "N instances of a class" spread
 * over many unrelated roots (no single holder to fix). {@code hotpath heap} still lists both, MAT-style.
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
                new Threshold("criticalPercent", 30, "percent", "share of the reachable heap at which a suspect is a warning"),
                new Threshold("warnMiB", 256, "MiB", "smallest reachable heap in which a single dump's suspect is a warning"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double min = ctx.threshold("retainedPercent");
        double large = ctx.threshold("criticalPercent");
        long warnBytes = (long) (ctx.threshold("warnMiB") * 1024 * 1024);
        for (HeapSummary s : ctx.summaries(HeapSummary.class)) {
            for (HeapReport.Suspect sus : s.report().suspects()) {
                if (sus.percent() < min || sus.instances() > 1 || JdkHolders.isJdk(sus.holder())) {
                    continue;
                }
                boolean threatens = sus.percent() >= large && s.report().reachableBytes() >= warnBytes;
                HeapReport.Accumulation acc = sus.accumulation();
                double pct = Math.round(sus.percent() * 10) / 10.0;
                Finding.Builder f = Finding.builder(ID, Category.HEAP)
                        .severity(threatens ? Severity.WARNING : Severity.INFO)
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
                                + " when their owner ends); if it is meant to be this large, size the heap for it. Two dumps of the"
                                + " process taken some time apart show whether it grows (heap.growth).")
                        .source(s.source().sourceName());
                ctx.emit(f.build());
            }
        }
    }
}
