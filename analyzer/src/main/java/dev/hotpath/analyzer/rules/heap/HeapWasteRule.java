package dev.hotpath.analyzer.rules.heap;

import dev.hotpath.analyzer.heap.HeapReport;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;
import java.util.Locale;

/**
 * {@code heap.waste}: duplicate strings, empty or oversized collections, boxed primitives and sparse arrays that
 * together waste a noticeable share of the heap. Needs {@link HeapSummary}. Threshold {@code wastePercent}
 * (default 3, percent of the reachable heap, per kind of waste); info below 10%, warning above.
 */
public final class HeapWasteRule implements Rule {
    public static final String ID = "heap.waste";

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
        return "Duplicate strings, empty/oversized collections, boxed primitives or sparse arrays waste heap";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("wastePercent", 3, "percent", "share of the reachable heap one kind of waste takes"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double min = ctx.threshold("wastePercent");
        for (HeapSummary s : ctx.summaries(HeapSummary.class)) {
            long heap = Math.max(1, s.report().reachableBytes());
            for (HeapReport.WasteItem w : s.report().waste()) {
                double pct = 100.0 * w.wastedBytes() / heap;
                if (pct < min) {
                    continue;
                }
                double rounded = Math.round(pct * 10) / 10.0;
                ctx.emit(Finding.builder(ID + "." + w.kind(), Category.HEAP)
                        .severity(pct >= 10 ? Severity.WARNING : Severity.INFO)
                        .title(String.format(Locale.ROOT, "%s (%.1f%% of the heap)", w.description(), rounded))
                        .summary(String.join("; ", w.examples()))
                        .evidence("kind", w.kind())
                        .evidence("count", w.count())
                        .evidence("wastedBytes", w.wastedBytes())
                        .evidence("sharePercent", rounded)
                        .evidence("examples", w.examples())
                        .recommendation(advice(w.kind()))
                        .source(s.source().sourceName())
                        .build());
            }
        }
    }

    private static String advice(String kind) {
        switch (kind) {
            case "duplicate-strings": return "Intern or canonicalise the repeated values where they are parsed, or run G1 with -XX:+UseStringDeduplication.";
            case "empty-collections": return "Create collections lazily, or release them (null) once emptied.";
            case "oversized-collections": return "Size lists from the expected count, or trimToSize() long-lived ones.";
            case "boxed-primitives": return "Keep numbers in primitive arrays or primitive collections instead of boxed collections.";
            default: return "Use a denser structure (a map, or a compacted array) for mostly-empty arrays.";
        }
    }
}
