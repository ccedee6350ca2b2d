package dev.hotpath.analyzer.rules.allocation;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;
import dev.hotpath.analyzer.rules.gc.GcSummary;

import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code allocation.baseline-rate}: with {@code --baseline}, the allocation rate (bytes over the covered time, all
 * allocation summaries of the run together) is higher than the baseline's, relatively and absolutely; names the
 * class whose bytes grew most. When the two runs do not both have JFR allocation data but both have GC logs (or GC
 * events) telling the heap before and after stop-the-world pauses, the rates are those (see
 * {@link GcSummary#allocationBytesPerSecondFromHeap}): like is compared with like, never JFR with a log.
 * Evidence: baselineMBps, rateMBps, changePercent, topClass (JFR) or measuredBy "heap growth between GC pauses".
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
        return ms <= 0 ? 0 : perSecond(bytes, ms);
    }

    /** MB/s the heap gained between stop-the-world pauses over all the GC summaries, NaN when none tells it. */
    static double gcMbps(List<GcSummary> list) {
        long bytes = 0;
        long ms = 0;
        for (GcSummary g : list) {
            bytes += g.allocatedBetweenPausesBytes();
            ms += g.allocationSpanMs();
        }
        return ms <= 0 ? Double.NaN : perSecond(bytes, ms);
    }

    private static double perSecond(long bytes, long ms) {
        return round1(bytes * 1000.0 / ms / (1024 * 1024));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<AllocationSummary> base = ctx.baselineSummaries(AllocationSummary.class);
        List<AllocationSummary> now = ctx.summaries(AllocationSummary.class);
        if (base.isEmpty() || now.isEmpty()) {
            fromGc(ctx);
            return;
        }
        double b = mbps(base);
        double a = mbps(now);
        Finding.Builder f = rise(ctx, a, b);
        if (f == null) {
            return;
        }
        double change = change(a, b);
        String top = now.get(0).byClass().isEmpty() ? "" : now.get(0).byClass().get(0).className();
        f.summary("The JVM allocated " + fmt(a) + " MB/s against " + fmt(b) + " MB/s in the baseline (+"
                        + fmt(change) + "%); the most allocated class now is " + top + ".")
                .evidence("topClass", top)
                .recommendation("Diff the allocation flame graphs of the two runs to find the new or grown site "
                        + "(allocation.hot-site names the heaviest one).");
        now.forEach(s -> f.source(s.source().sourceName()));
        ctx.emit(f.build());
    }

    private void fromGc(RuleContext ctx) {
        List<GcSummary> now = ctx.summaries(GcSummary.class);
        double b = gcMbps(ctx.baselineSummaries(GcSummary.class));
        double a = gcMbps(now);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return;
        }
        Finding.Builder f = rise(ctx, a, b);
        if (f == null) {
            return;
        }
        f.summary("The heap grew " + fmt(a) + " MB/s between GC pauses against " + fmt(b)
                        + " MB/s in the baseline (+" + fmt(change(a, b)) + "%): the application allocates that much more.")
                .evidence("measuredBy", "heap growth between GC pauses")
                .recommendation("Record both runs with JFR (or async-profiler's alloc mode) to see which site and class"
                        + " allocate more; allocation.hot-site names the heaviest one.");
        for (GcSummary s : now) {
            if (s.allocationSpanMs() > 0) {
                f.source(s.source().sourceName());
            }
        }
        ctx.emit(f.build());
    }

    private static double change(double a, double b) {
        return round1(100.0 * (a - b) / b);
    }

    /**
     * The finding's common part (severity, title, the rates and the change) when rate {@code a} rose over the
     * baseline's {@code b} past both thresholds; null otherwise.
     */
    private static Finding.Builder rise(RuleContext ctx, double a, double b) {
        if (b <= 0) {
            return null;
        }
        double change = change(a, b);
        if (change < ctx.threshold("minChangePercent") || a - b < ctx.threshold("minChangeMBps")) {
            return null;
        }
        Severity sev = change >= ctx.threshold("criticalChangePercent") ? Severity.CRITICAL : Severity.WARNING;
        return Finding.builder(ID, Category.ALLOCATION).severity(sev)
                .title("Allocation rate rose " + fmt(change) + "% over the baseline (" + fmt(a) + " MB/s)")
                .evidence("baselineMBps", b)
                .evidence("rateMBps", a)
                .evidence("changePercent", change);
    }
}
