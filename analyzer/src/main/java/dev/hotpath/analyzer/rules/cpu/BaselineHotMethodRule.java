package dev.hotpath.analyzer.rules.cpu;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.profile.ProfileSummary;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code cpu.baseline-hot-method}: with {@code --baseline}, a method whose share of CPU samples (total, i.e. with
 * its callees) grew by at least {@code minChangePoints} percentage points. Shares, not sample counts, are compared so
 * runs of different lengths compare. Run scope over all cpu profiles. Evidence: method, baselineSharePercent,
 * sharePercent, changePoints, samples.
 */
public final class BaselineHotMethodRule implements Rule {
    public static final String ID = "cpu.baseline-hot-method";
    private static final int CANDIDATES = 200;

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("minChangePoints", 10, "percentage points", "growth of a method's share of CPU samples"),
            new Threshold("minSamples", 100, "count", "CPU samples each run needs to be compared"),
            new Threshold("criticalChangePoints", 30, "percentage points", "a method took over the CPU"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.CPU;
    }

    @Override
    public String description() {
        return "A method's share of CPU samples grew over the --baseline run";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    static CollapsedProfile merged(List<ProfileSummary> list) {
        CollapsedProfile p = new CollapsedProfile();
        for (ProfileSummary s : list) {
            if (s.type().equals("cpu")) {
                p.addAll(s.profile());
            }
        }
        return p;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<ProfileSummary> nowList = ctx.summaries(ProfileSummary.class);
        CollapsedProfile base = merged(ctx.baselineSummaries(ProfileSummary.class));
        CollapsedProfile now = merged(nowList);
        double min = ctx.threshold("minSamples");
        if (base.weight() < min || now.weight() < min) {
            return;
        }
        Map<String, Long> before = new HashMap<>();
        for (CollapsedProfile.Share s : base.total(Integer.MAX_VALUE)) {
            before.put(s.frame(), s.weight());
        }
        CollapsedProfile.Share worst = null;
        double worstChange = 0;
        double worstBefore = 0;
        double worstAfter = 0;
        for (CollapsedProfile.Share s : now.total(CANDIDATES)) {
            if (dev.hotpath.analyzer.profile.Frames.isRuntime(s.frame())) {
                continue;
            }
            double after = 100.0 * s.weight() / now.weight();
            double b = 100.0 * before.getOrDefault(s.frame(), 0L) / base.weight();
            if (after - b > worstChange) {
                worstChange = after - b;
                worst = s;
                worstBefore = b;
                worstAfter = after;
            }
        }
        double points = round1(worstChange);
        if (worst == null || points < ctx.threshold("minChangePoints")) {
            return;
        }
        Severity sev = points >= ctx.threshold("criticalChangePoints") ? Severity.CRITICAL : Severity.WARNING;
        double a = round1(worstAfter);
        double b = round1(worstBefore);
        Finding.Builder f = Finding.builder(ID, Category.CPU).severity(sev)
                .title(worst.frame() + " now takes " + fmt(a) + "% of CPU samples (baseline " + fmt(b) + "%)")
                .summary(worst.frame() + " (with its callees) is on " + fmt(a) + "% of " + now.weight()
                        + " CPU samples against " + fmt(b) + "% of " + base.weight() + " in the baseline, +"
                        + fmt(points) + " percentage points.")
                .evidence("method", worst.frame())
                .evidence("baselineSharePercent", b)
                .evidence("sharePercent", a)
                .evidence("changePoints", points)
                .evidence("samples", now.weight())
                .evidence("baselineSamples", base.weight())
                .recommendation("Look at what changed in " + worst.frame() + " and its callees between the two builds; "
                        + "the flame graphs of both runs side by side show the grown branch.");
        nowList.forEach(s -> f.source(s.source().sourceName()));
        ctx.emit(f.build());
    }
}
