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

/**
 * {@code gc.system-gc}: explicit {@code System.gc()} calls. Each one is a full collection chosen by code rather than
 * by need (unless the JVM runs them concurrently), so any stop-the-world one is worth removing.
 * Needs: {@link GcSummary} (JFR names the calling frame from {@code jdk.SystemGC}'s stack).
 * Evidence: count, perMinute, totalPauseMs, maxPauseMs, collector, callers.
 */
public final class SystemGcRule implements Rule {
    public static final String ID = "gc.system-gc";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("minCount", 1, "count", "explicit collections that stopped the world"),
            new Threshold("criticalPauseMs", 1000, "ms", "total stop-the-world time of explicit GCs"));

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
        return "Explicit System.gc() calls that stop the world";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (GcSummary gc : ctx.summaries(GcSummary.class)) {
            PauseStats p = null;
            for (PauseStats s : gc.pauses()) {
                if ("System.gc()".equals(s.cause()) && (p == null || s.totalNanos() > p.totalNanos())) {
                    p = s;
                }
            }
            long count = gc.events().systemGcs();
            if (p == null || count < ctx.threshold("minCount")) {
                continue;
            }
            double total = ms(p.totalNanos());
            Severity sev = total >= ctx.threshold("criticalPauseMs") ? Severity.CRITICAL : Severity.WARNING;
            List<String> callers = gc.events().systemGcCallers();
            String who = callers.isEmpty() ? "" : " from " + callers.get(0);
            double perMin = GcEventRules.perMinute(count, gc.durationMs());
            ctx.emit(Finding.builder(ID, Category.GC).severity(sev)
                    .title(count + " explicit System.gc() calls" + who)
                    .summary(count + " System.gc() calls" + who + " (" + fmt(perMin) + " per minute) ran "
                            + p.collector() + " collections that stopped the application for " + fmt(total)
                            + " ms, the longest " + fmt(ms(p.maxNanos())) + " ms.")
                    .evidence("count", count)
                    .evidence("perMinute", perMin)
                    .evidence("collector", p.collector())
                    .evidence("totalPauseMs", total)
                    .evidence("maxPauseMs", ms(p.maxNanos()))
                    .evidence("callers", callers)
                    .evidence("timeRange", LongPausesRule.timeRange(gc))
                    .recommendation("Remove the System.gc() call" + who + "; if it comes from a library (RMI's "
                            + "distributed GC, direct-buffer reclamation), run with -XX:+ExplicitGCInvokesConcurrent "
                            + "(G1) or -XX:+DisableExplicitGC.")
                    .source(gc.source().sourceName()).build());
        }
    }
}
