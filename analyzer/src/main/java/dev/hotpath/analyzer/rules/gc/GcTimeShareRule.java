package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.ms;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code gc.time-share}: the share of wall time the application was stopped for GC, in the worst sliding window.
 *
 * <p>Needs: {@link GcSummary}'s pause timeline. A window of {@code windowSeconds} slides over the pauses (each window
 * starts at a pause); a recording shorter than the window is one window. Stopped time is throughput lost outright, and
 * a share sustained over a window is what saturates a service, whereas a single pause is {@code gc.long-pauses}'s.
 *
 * <p>Evidence: worstWindowSharePercent, window start/end, pauses and pause ms in it, overallSharePercent.
 */
public final class GcTimeShareRule implements Rule {
    public static final String ID = "gc.time-share";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("windowSeconds", 60, "s", "length of the sliding window"),
            new Threshold("warningPercent", 10, "percent", "stopped share of a window that costs a tenth of throughput"),
            new Threshold("criticalPercent", 25, "percent", "stopped share at which the JVM is GC-bound"),
            new Threshold("minWindowSeconds", 2, "s", "recordings shorter than this are not judged"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.GC;
    }

    @Override
    public String description() {
        return "Share of wall time spent in GC pauses over the worst sliding window";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double windowMs = ctx.threshold("windowSeconds") * 1000;
        double warn = ctx.threshold("warningPercent");
        double crit = ctx.threshold("criticalPercent");
        double minMs = ctx.threshold("minWindowSeconds") * 1000;
        for (GcSummary gc : ctx.summaries(GcSummary.class)) {
            long[] start = gc.timelineStartMs();
            long[] pause = gc.timelinePauseNanos();
            if (start.length == 0 || gc.durationMs() < minMs) {
                continue;
            }
            double w = Math.min(windowMs, gc.durationMs());
            // two pointers: window [start[i], start[i] + w) holds pauses i..j-1
            long best = -1;
            int bestI = 0;
            int bestN = 0;
            long sum = 0;
            int j = 0;
            for (int i = 0; i < start.length; i++) {
                if (i > 0) {
                    sum -= pause[i - 1];
                }
                if (j < i) {
                    j = i;
                    sum = 0;
                }
                while (j < start.length && start[j] < start[i] + w) {
                    sum += pause[j++];
                }
                if (sum > best) {
                    best = sum;
                    bestI = i;
                    bestN = j - i;
                }
            }
            // a window that would run past the recording's end is slid back so its length stays w
            long winStart = (long) Math.max(gc.rangeStartMs(), Math.min(start[bestI], gc.rangeEndMs() - w));
            double share = round1(100.0 * best / 1e6 / w);
            if (share < warn) {
                continue;
            }
            double overall = round1(100.0 * gc.totalPauseNanos() / 1e6 / Math.max(1, gc.durationMs()));
            Severity sev = share >= crit ? Severity.CRITICAL : Severity.WARNING;
            double windowS = round1(w / 1000);
            String top = gc.pauses().isEmpty() ? "" : gc.pauses().get(0).collector() + " (" + gc.pauses().get(0).cause() + ")";
            ctx.emit(Finding.builder(ID, Category.GC).severity(sev)
                    .title("GC stopped the application " + fmt(share) + "% of a " + fmt(windowS) + " s window")
                    .summary(bestN + " pauses took " + fmt(ms(best)) + " ms of the worst " + fmt(windowS)
                            + " s window (" + fmt(share) + "% of wall time; " + fmt(overall)
                            + "% over the whole " + gc.gcName() + " run). Most pause time: " + top + ".")
                    .evidence("worstWindowSharePercent", share)
                    .evidence("windowSeconds", windowS)
                    .evidence("windowStartMs", winStart)
                    .evidence("windowEndMs", winStart + (long) w)
                    .evidence("pausesInWindow", (long) bestN)
                    .evidence("pauseMsInWindow", ms(best))
                    .evidence("overallSharePercent", overall)
                    .evidence("topCollector", top)
                    .evidence("thresholdPercent", sev == Severity.CRITICAL ? crit : warn)
                    .evidence("timeRange", LongPausesRule.timeRange(gc))
                    .recommendation("Cut the allocation rate at its top sites (see allocation findings) or give the "
                            + "young generation more room (-Xmx / -Xmn or G1's -XX:MaxGCPauseMillis); if the live set "
                            + "is near the heap size, the heap is too small for the data (see gc.live-set-growth).")
                    .source(gc.source().sourceName()).build());
        }
    }
}
