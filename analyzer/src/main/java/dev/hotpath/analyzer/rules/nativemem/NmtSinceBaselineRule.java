package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.nativemem.NmtSnapshot;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;
import dev.hotpath.nativemem.nmt.NmtCategory;
import dev.hotpath.nativemem.nmt.NmtReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code native.nmt-since-baseline} (info): what a {@code summary.diff} or {@code detail.diff} says grew since its
 * baseline, when the run has no NMT time series to judge (fewer than two timed snapshots). A diff does not say when
 * its baseline was taken, so no rate and no severity above info: the finding lists the categories that grew, largest
 * first, and for a {@code detail.diff} the native call sites behind the largest one outside the Java heap.
 */
public final class NmtSinceBaselineRule implements Rule {
    public static final String ID = "native.nmt-since-baseline";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.NATIVE;
    }

    @Override
    public String description() {
        return "What an NMT summary.diff / detail.diff grew since its baseline (info; no time series to judge)";
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minGrowthMb", 1, "MB", "least committed growth of a category to list it"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<NmtSnapshot> all = ctx.summaries(NmtSnapshot.class);
        if (NativeTimeline.series(all).size() >= 2) {
            return; // the growth rules judge the series
        }
        NmtSnapshot diff = all.stream().filter(s -> s.report().isDiff())
                .max(Comparator.comparingLong(NmtSnapshot::epochMillis)).orElse(null);
        if (diff == null) {
            return;
        }
        double min = ctx.threshold("minGrowthMb");
        List<NmtCategory> grew = new ArrayList<>();
        for (NmtCategory c : diff.report().categories().values()) {
            if (c.committedDeltaKb() / 1024.0 >= min) {
                grew.add(c);
            }
        }
        if (grew.isEmpty()) {
            return;
        }
        grew.sort(Comparator.comparingLong(NmtCategory::committedDeltaKb).reversed());
        Map<String, Object> byCategory = new LinkedHashMap<>();
        StringBuilder list = new StringBuilder();
        for (NmtCategory c : grew) {
            byCategory.put(c.name(), UntrackedNativeGrowthRule.round(c.committedDeltaKb() / 1024.0));
            if (byCategory.size() <= 3) {
                list.append(byCategory.size() == 1 ? "" : ", ").append(c.name()).append(" +")
                        .append(fmt(c.committedDeltaKb() / 1024.0)).append(" MB");
            }
        }
        String name = diff.source().sourceName();
        Finding.Builder f = Finding.builder(ID, Category.NATIVE).severity(Severity.INFO)
                .title("Since the NMT baseline: " + list + " committed")
                .evidence("growthSinceBaselineMb", byCategory)
                .evidence("totalCommittedDeltaMb", UntrackedNativeGrowthRule.round(diff.report().totalCommittedDeltaKb() / 1024.0))
                .source(name);
        StringBuilder summary = new StringBuilder(name + " compares the JVM with its NMT baseline: committed memory grew "
                + fmt(diff.report().totalCommittedDeltaKb() / 1024.0) + " MB in total, " + list + ".");
        NmtCategory nonHeap = grew.stream()
                .filter(c -> !c.name().equals("Java Heap") && !c.name().equals("Native Memory Tracking")).findFirst().orElse(null);
        if (nonHeap != null && diff.report().kind() == NmtReport.Kind.DETAIL_DIFF) {
            List<NmtSites.Growth> sites = NmtSites.sinceBaseline(diff.report(), nonHeap.name());
            if (!sites.isEmpty()) {
                NmtSites.Growth g = sites.get(0);
                summary.append(" Of '").append(nonHeap.name()).append("', ")
                        .append(NmtSites.describe(sites, 3).replaceFirst(" MB under ", " MB grew under ")).append('.');
                f.evidence("culprit", g.name()).evidence("culpritCategory", nonHeap.name())
                        .evidence("culpritGrowthMb", UntrackedNativeGrowthRule.round(g.deltaKb() / 1024.0))
                        .evidence("culpritFrames", g.site().frames().stream().map(NmtSites::function).toList());
            }
        }
        f.summary(summary.toString());
        f.recommendation("A diff has no clock: take NMT summaries over time (hotpath record --nmt, or jcmd "
                + "VM.native_memory summary every minute) so hotpath can tell steady growth from warm-up."
                + (nonHeap == null ? "" : " For '" + nonHeap.name() + "': "
                + NmtAnyCategoryGrowthRule.advice(nonHeap.name())));
        ctx.emit(f.build());
    }

    static String fmt(double v) {
        return UntrackedNativeGrowthRule.fmt(v);
    }
}
