package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.nativemem.JemallocProfileSummary;
import dev.hotpath.analyzer.nativemem.NativeMemSummary;
import dev.hotpath.analyzer.nativemem.NmtSnapshot;
import dev.hotpath.analyzer.nativemem.RssSeries;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;
import dev.hotpath.nativemem.nmt.NmtReport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Growth of one group of NMT categories after warm-up (Theil–Sen over the NMT summaries), one subclass per diagnosis.
 * Needs at least two NMT summaries after the warm-up (or the run's last two). Thresholds: {@code growthMbPerMin},
 * {@code criticalMbPerMin}, {@code minGrowthMb} (total over the window) and {@code warmupPercent}; the defaults
 * come from the subclass because what is normal differs per category.
 */
abstract class NmtCategoryGrowthRule implements Rule {
    private final String id;
    private final List<String> categories;
    private final double growth;
    private final double critical;
    private final double minGrowth;

    NmtCategoryGrowthRule(String id, List<String> categories, double growthMbPerMin, double criticalMbPerMin,
                          double minGrowthMb) {
        this.id = id;
        this.categories = categories;
        this.growth = growthMbPerMin;
        this.critical = criticalMbPerMin;
        this.minGrowth = minGrowthMb;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Category category() {
        return Category.NATIVE;
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public List<Threshold> thresholds() {
        List<Threshold> t = new ArrayList<>(List.of(
                new Threshold("growthMbPerMin", growth, "MB/min", "committed growth of " + categories + " that is a warning"),
                new Threshold("criticalMbPerMin", critical, "MB/min", "committed growth that is critical"),
                new Threshold("minGrowthMb", minGrowth, "MB", "least total growth over the judged window"),
                new Threshold("warmupPercent", 20, "percent", "share of the run at its start left out")));
        t.addAll(extraThresholds());
        return t;
    }

    List<Threshold> extraThresholds() {
        return List.of();
    }

    /** Committed KiB of the rule's categories in one report. */
    long committedKb(NmtReport r) {
        long sum = 0;
        for (String c : categories) {
            sum += r.committedKb(c);
        }
        return sum;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<NmtSnapshot> nmt = ctx.summaries(NmtSnapshot.class);
        NativeTimeline tl = NativeTimeline.of(ctx.summaries(RssSeries.class), nmt, ctx.threshold("warmupPercent") / 100.0);
        if (tl == null || !tl.hasNmt()) {
            return;
        }
        double slope = tl.nmtSlope(this::committedKb);
        double deltaMb = tl.nmtDelta(this::committedKb) / 1024.0;
        boolean sizeGrows = !Double.isNaN(slope) && slope >= ctx.threshold("growthMbPerMin")
                && deltaMb >= ctx.threshold("minGrowthMb");
        if (!sizeGrows && !otherwiseGrowing(ctx, tl)) {
            return;
        }
        Severity sev = slope >= ctx.threshold("criticalMbPerMin") ? Severity.CRITICAL : Severity.WARNING;
        NmtReport first = tl.nmt.get(0).report();
        NmtReport last = tl.nmt.get(tl.nmt.size() - 1).report();
        Finding.Builder f = Finding.builder(id, Category.NATIVE).severity(sev)
                .evidence("growthMbPerMin", UntrackedNativeGrowthRule.round(slope))
                .evidence("committedStartMb", UntrackedNativeGrowthRule.round(committedKb(first) / 1024.0))
                .evidence("committedEndMb", UntrackedNativeGrowthRule.round(committedKb(last) / 1024.0))
                .evidence("windowSeconds", Math.round((tl.nmt.get(tl.nmt.size() - 1).epochMillis()
                        - tl.nmt.get(0).epochMillis()) / 1000.0))
                .evidence("nmtCategories", categories);
        Set<String> sources = new LinkedHashSet<>();
        tl.nmt.forEach(s -> sources.add(s.source().sourceName()));
        describe(ctx, tl, slope, f, sources, ctx.summaries(NativeMemSummary.class),
                ctx.summaries(JemallocProfileSummary.class));
        f.sources(sources);
        ctx.emit(f.build());
    }

    /** A second way to trigger (the thread count for the thread rule); none by default. */
    boolean otherwiseGrowing(RuleContext ctx, NativeTimeline tl) {
        return false;
    }

    /** Title, summary, recommendation and extra evidence. */
    abstract void describe(RuleContext ctx, NativeTimeline tl, double slopeMbPerMin, Finding.Builder f, Set<String> sources,
                           List<NativeMemSummary> nativemem, List<JemallocProfileSummary> jemalloc);

    static String fmt(double v) {
        return UntrackedNativeGrowthRule.fmt(v);
    }
}
