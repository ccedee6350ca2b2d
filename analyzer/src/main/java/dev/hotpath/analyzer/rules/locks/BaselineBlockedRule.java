package dev.hotpath.analyzer.rules.locks;

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
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code locks.baseline-blocked}: with {@code --baseline}, a lock class whose blocked thread-time, as a share of wall
 * time, grew by at least {@code minChangePoints} percentage points (a lock new in this run counts from 0%).
 * Run scope over all lock summaries. Evidence: lockClass, frame, baselineSharePercent, sharePercent, changePoints.
 */
public final class BaselineBlockedRule implements Rule {
    public static final String ID = "locks.baseline-blocked";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("minChangePoints", 10, "percentage points", "growth of blocked share of wall time"),
            new Threshold("criticalChangePoints", 100, "percentage points", "a whole thread more always blocked"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.LOCKS;
    }

    @Override
    public String description() {
        return "Time blocked on a lock grew over the --baseline run";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    /** lock class → {share percent of wall time, frame of its heaviest contention}. */
    static Map<String, Object[]> shares(List<LockSummary> list) {
        Map<String, Object[]> m = new HashMap<>();
        long wall = 0;
        for (LockSummary s : list) {
            wall += s.durationMs();
        }
        for (LockSummary s : list) {
            for (LockSummary.Contention c : s.contentions()) {
                Object[] v = m.computeIfAbsent(c.lockClass(), k -> new Object[] {0.0, c.frame(), 0L});
                v[0] = (Double) v[0] + (wall <= 0 ? 0 : 100.0 * c.totalNanos() / 1e6 / wall);
                if (c.totalNanos() > (Long) v[2]) {
                    v[1] = c.frame();
                    v[2] = c.totalNanos();
                }
            }
        }
        return m;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<LockSummary> baseList = ctx.baselineSummaries(LockSummary.class);
        List<LockSummary> nowList = ctx.summaries(LockSummary.class);
        if (nowList.isEmpty()) {
            return;
        }
        // a run whose recording had no contention at all has no lock summary: the baseline was 0% everywhere,
        // but only when a baseline was given at all (its other summaries show that)
        if (baseList.isEmpty() && ctx.baselineSummaries(dev.hotpath.analyzer.model.Summary.class).isEmpty()) {
            return;
        }
        Map<String, Object[]> before = shares(baseList);
        for (Map.Entry<String, Object[]> e : shares(nowList).entrySet()) {
            double a = round1((Double) e.getValue()[0]);
            double b = round1(before.containsKey(e.getKey()) ? (Double) before.get(e.getKey())[0] : 0.0);
            double points = round1(a - b);
            if (points < ctx.threshold("minChangePoints")) {
                continue;
            }
            Severity sev = points >= ctx.threshold("criticalChangePoints") ? Severity.CRITICAL : Severity.WARNING;
            String frame = (String) e.getValue()[1];
            Finding.Builder f = Finding.builder(ID, Category.LOCKS).severity(sev)
                    .title("Blocking on " + e.getKey() + " rose to " + fmt(a) + "% of wall time (baseline " + fmt(b) + "%)")
                    .summary("Threads blocked on " + e.getKey() + " (mostly in " + frame + ") for " + fmt(a)
                            + "% of wall time against " + fmt(b) + "% in the baseline, +" + fmt(points)
                            + " percentage points.")
                    .evidence("lockClass", e.getKey())
                    .evidence("frame", frame)
                    .evidence("baselineSharePercent", b)
                    .evidence("sharePercent", a)
                    .evidence("changePoints", points)
                    .recommendation("See locks.contention for the threads involved; compare the critical section in "
                            + frame + " between the two builds.");
            nowList.forEach(s -> f.source(s.source().sourceName()));
            ctx.emit(f.build());
        }
    }
}
