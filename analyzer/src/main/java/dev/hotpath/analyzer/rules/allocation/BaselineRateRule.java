package dev.hotpath.analyzer.rules.allocation;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code allocation.baseline-rate}: with {@code --baseline}, the allocation rate (bytes over the covered time, all
 * allocation summaries of the run together) is higher than the baseline's, relatively and absolutely; names the
 * class whose bytes grew most. Evidence: baselineMBps, rateMBps, changePercent, topClass.
 */
public final class BaselineRateRule implements Rule {
    public static final String ID = "allocation.baseline-rate";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("minChangePercent", 25, "percent", "allocation-rate growth relative to the baseline"),
            new Threshold("minChangeMBps", 20, "MB/s", "allocation-rate growth in absolute terms"),
            new Threshold("criticalChangePercent", 100, "percent", "rate at least doubled"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.ALLOCATION;
    }

    @Override
    public String description() {
        return "Allocation rate higher than in the --baseline run";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    /** Bytes per second over the summaries' total covered time, in MB/s rounded to 0.1. */
    public static double mbps(List<AllocationSummary> list) {
        long bytes = 0;
        long ms = 0;
        for (AllocationSummary a : list) {
            bytes += a.totalBytes();
            ms += a.durationMs();
        }
        return ms <= 0 ? 0 : round1(bytes * 1000.0 / ms / (1024 * 1024));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<AllocationSummary> base = ctx.baselineSummaries(AllocationSummary.class);
        List<AllocationSummary> now = ctx.summaries(AllocationSummary.class);
        double b = mbps(base);
        double a = mbps(now);
        if (base.isEmpty() || now.isEmpty() || b <= 0) {
            return;
        }
        double change = round1(100.0 * (a - b) / b);
        if (change < ctx.threshold("minChangePercent") || a - b < ctx.threshold("minChangeMBps")) {
            return;
        }
        String top = now.get(0).byClass().isEmpty() ? "" : now.get(0).byClass().get(0).className();
        Severity sev = change >= ctx.threshold("criticalChangePercent") ? Severity.CRITICAL : Severity.WARNING;
        Finding.Builder f = Finding.builder(ID, Category.ALLOCATION).severity(sev)
                .title("Allocation rate rose " + fmt(change) + "% over the baseline (" + fmt(a) + " MB/s)")
                .summary("The JVM allocated " + fmt(a) + " MB/s against " + fmt(b) + " MB/s in the baseline (+"
                        + fmt(change) + "%); the most allocated class now is " + top + ".")
                .evidence("baselineMBps", b)
                .evidence("rateMBps", a)
                .evidence("changePercent", change)
                .evidence("topClass", top)
                .recommendation("Diff the allocation flame graphs of the two runs to find the new or grown site "
                        + "(allocation.hot-site names the heaviest one).");
        now.forEach(s -> f.source(s.source().sourceName()));
        ctx.emit(f.build());
    }
}
