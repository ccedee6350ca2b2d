package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.ms;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code gc.baseline-pauses}: with {@code --baseline}, a collector/cause whose p99 pause got worse than in the
 * baseline run. Both a relative and an absolute change are required, so that 1 ms → 2 ms (+100%) is not a regression.
 * Run scope: across all GC summaries of each run, the worst p99 per collector and cause is compared.
 * Evidence: collector, cause, baselineP99Ms, p99Ms, changePercent, changeMs.
 */
public final class BaselinePausesRule implements Rule {
    public static final String ID = "gc.baseline-pauses";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("minChangePercent", 25, "percent", "p99 pause growth relative to the baseline"),
            new Threshold("minChangeMs", 10, "ms", "p99 pause growth in absolute terms"),
            new Threshold("criticalChangePercent", 100, "percent", "p99 pause at least doubled"));

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
        return "p99 GC pause per collector/cause worse than in the --baseline run";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    static Map<String, Long> worstP99(List<GcSummary> list) {
        Map<String, Long> m = new HashMap<>();
        for (GcSummary s : list) {
            for (PauseStats p : s.pauses()) {
                m.merge(p.collector() + " (" + p.cause() + ")", p.p99Nanos(), Math::max);
            }
        }
        return m;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<GcSummary> base = ctx.baselineSummaries(GcSummary.class);
        List<GcSummary> now = ctx.summaries(GcSummary.class);
        if (base.isEmpty() || now.isEmpty()) {
            return;
        }
        Map<String, Long> before = worstP99(base);
        Map<String, Long> after = worstP99(now);
        for (Map.Entry<String, Long> e : after.entrySet()) {
            Long b = before.get(e.getKey());
            if (b == null || b <= 0) {
                continue;
            }
            double bMs = ms(b);
            double aMs = ms(e.getValue());
            double change = round1(100.0 * (e.getValue() - b) / b);
            double changeMs = round1(aMs - bMs);
            if (change < ctx.threshold("minChangePercent") || changeMs < ctx.threshold("minChangeMs")) {
                continue;
            }
            Severity sev = change >= ctx.threshold("criticalChangePercent") ? Severity.CRITICAL : Severity.WARNING;
            Finding.Builder f = Finding.builder(ID, Category.GC).severity(sev)
                    .title("p99 pause of " + e.getKey() + " rose " + fmt(change) + "% over the baseline")
                    .summary("The p99 pause of " + e.getKey() + " went from " + fmt(bMs) + " ms in the baseline to "
                            + fmt(aMs) + " ms (+" + fmt(changeMs) + " ms, +" + fmt(change) + "%).")
                    .evidence("group", e.getKey())
                    .evidence("baselineP99Ms", bMs)
                    .evidence("p99Ms", aMs)
                    .evidence("changeMs", changeMs)
                    .evidence("changePercent", change)
                    .recommendation("Compare the allocation rate and live set of the two runs (allocation.baseline-rate, "
                            + "gc.live-set-growth): longer young pauses usually mean more surviving data per collection.");
            now.forEach(s -> f.source(s.source().sourceName()));
            ctx.emit(f.build());
        }
    }
}
