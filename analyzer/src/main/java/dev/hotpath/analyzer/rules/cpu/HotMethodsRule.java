package dev.hotpath.analyzer.rules.cpu;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.profile.ProfileSummary;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code cpu.hot-methods}: where the CPU samples land, self (leaf frame) and total (anywhere on the stack).
 *
 * <p>A hot method is a fact about the workload, not a fault, so this is {@code info}: it tells the reader where
 * to look and is what {@code cpu.baseline-hot-method} compares between builds. When the top methods have the same
 * number of samples (a short recording), the title says no single method leads instead of naming one of them.
 * Needs: a cpu {@link ProfileSummary}.
 * Evidence: samples, self and total top lists (frame, samples, sharePercent).
 */
public final class HotMethodsRule implements Rule {
    public static final String ID = "cpu.hot-methods";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("minSamples", 20, "count", "CPU samples needed before naming hot methods"),
            new Threshold("top", 5, "count", "methods listed"));

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
        return "Hottest methods by CPU samples, self and total";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    static List<Object> shares(List<CollapsedProfile.Share> list, long total) {
        List<Object> out = new ArrayList<>();
        for (CollapsedProfile.Share s : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("frame", s.frame());
            m.put("samples", s.weight());
            m.put("sharePercent", round1(100.0 * s.weight() / Math.max(1, total)));
            out.add(m);
        }
        return out;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        int top = (int) ctx.threshold("top");
        for (ProfileSummary p : ctx.summaries(ProfileSummary.class)) {
            if (!p.type().equals("cpu") || p.profile().weight() < ctx.threshold("minSamples")) {
                continue;
            }
            long total = p.profile().weight();
            List<CollapsedProfile.Share> self = p.profile().self(top);
            List<CollapsedProfile.Share> app = p.profile().appFrames(top);
            CollapsedProfile.Share first = self.get(0);
            double share = round1(100.0 * first.weight() / total);
            CollapsedProfile.Share firstApp = app.get(0);
            double appShare = round1(100.0 * firstApp.weight() / total);
            int tied = 1;
            while (tied < self.size() && self.get(tied).weight() == first.weight()) {
                tied++;
            }
            String appLine = "the application frame most often on CPU (deepest non-JDK frame) is " + firstApp.frame()
                    + " with " + fmt(appShare) + "%.";
            // a tie for the top (a short recording: 67 samples, five methods at 2 each) names no hottest method
            List<String> tiedFrames = self.subList(0, tied).stream().map(CollapsedProfile.Share::frame).toList();
            String title = tied == 1 ? first.frame() + " is the hottest method (" + fmt(share) + "% of CPU samples)"
                    : "No single hottest method: " + tied + (tied == self.size() ? " or more" : "")
                    + " methods tie at " + fmt(share) + "% of " + total + " CPU samples";
            String summary = tied == 1 ? first.frame() + " is on top of " + fmt(share) + "% of " + total
                    + " CPU samples; " + appLine
                    : String.join(", ", tiedFrames) + " are each on top of " + first.weight() + " of " + total
                    + " CPU samples (" + fmt(share) + "%); " + appLine;
            ctx.emit(Finding.builder(ID, Category.CPU).severity(Severity.INFO)
                    .title(title)
                    .summary(summary)
                    .evidence("samples", total)
                    .evidence("hottestMethod", first.frame())
                    .evidence("sharePercent", share)
                    .evidence("hottestAppFrame", firstApp.frame())
                    .evidence("appFrameSharePercent", appShare)
                    .evidence("self", shares(self, total))
                    .evidence("total", shares(p.profile().total(top), total))
                    .recommendation("Start optimising at " + firstApp.frame() + "; open the flame graph to see "
                            + "which callers make it hot.")
                    .source(p.source().sourceName()).build());
        }
    }
}
