package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.ms;

/**
 * {@code gc.long-pauses}: stop-the-world pauses long enough to break request latency.
 *
 * <p>Needs: {@link GcSummary} (JFR {@code jdk.GarbageCollection}, or a unified GC log). Score: the p99 pause of each
 * collector/cause (nearest rank, so with fewer than 100 collections it is the longest one) — every request in
 * flight during a pause waits for all of it, so the tail pause is what users feel. One finding per collector and cause
 * that crosses {@code warningPauseMs}.
 *
 * <p>Evidence: collector, cause, count, totalPauseMs, p50/p90/p99/p999/maxPauseMs, the threshold crossed, time range.
 */
public final class LongPausesRule implements Rule {
    public static final String ID = "gc.long-pauses";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("warningPauseMs", 200, "ms",
                    "p99 stop-the-world pause of a collector/cause above which requests visibly stall"),
            new Threshold("criticalPauseMs", 1000, "ms",
                    "p99 pause above which clients time out and cluster peers may declare the node dead"));

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
        return "GC pauses whose p99 (per collector and cause) exceeds a latency budget";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double warnMs = ctx.threshold("warningPauseMs");
        double critMs = ctx.threshold("criticalPauseMs");
        for (GcSummary gc : ctx.summaries(GcSummary.class)) {
            for (PauseStats p : gc.pauses()) {
                double p99 = ms(p.p99Nanos());
                if (p99 < warnMs) {
                    continue;
                }
                Severity sev = p99 >= critMs ? Severity.CRITICAL : Severity.WARNING;
                double max = ms(p.maxNanos());
                double total = ms(p.totalNanos());
                double p50 = ms(p.p50Nanos());
                String title = p.collector() + " pauses (" + p.cause() + ") reach " + fmt(p99) + " ms at p99";
                String summary = p.count() + " " + p.collector() + " collections caused by '" + p.cause()
                        + "' stopped the application for " + fmt(total) + " ms in total; p50 " + fmt(p50)
                        + " ms, p99 " + fmt(p99) + " ms, max " + fmt(max) + " ms (threshold "
                        + fmt(sev == Severity.CRITICAL ? critMs : warnMs) + " ms).";
                Finding.Builder f = Finding.builder(ID, Category.GC).severity(sev).title(title).summary(summary)
                        .evidence("gc", gc.gcName())
                        .evidence("collector", p.collector())
                        .evidence("cause", p.cause())
                        .evidence("count", p.count())
                        .evidence("totalPauseMs", total)
                        .evidence("p50PauseMs", p50)
                        .evidence("p90PauseMs", ms(p.p90Nanos()))
                        .evidence("p99PauseMs", p99)
                        .evidence("p999PauseMs", ms(p.p999Nanos()))
                        .evidence("maxPauseMs", max)
                        .evidence("thresholdMs", sev == Severity.CRITICAL ? critMs : warnMs)
                        .evidence("timeRange", timeRange(gc))
                        .recommendation(GcAdvice.forPauses(gc.gcName(), p.collector(), p.cause()))
                        .source(gc.source().sourceName());
                ctx.emit(f.build());
            }
        }
    }

    static Map<String, Object> timeRange(GcSummary gc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startMs", gc.rangeStartMs());
        m.put("endMs", gc.rangeEndMs());
        m.put("durationMs", gc.durationMs());
        m.put("clock", gc.epochClock() ? "epoch" : "uptime");
        return m;
    }
}
