package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.nativemem.JemallocProfileSummary;
import dev.hotpath.analyzer.nativemem.NativeStack;
import dev.hotpath.analyzer.nativemem.RssSeries;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code native.jemalloc-growth}: a series of jemalloc heap profiles of one process ({@code MALLOC_CONF=prof:true,
 * lg_prof_interval:N} writes {@code jeprof.PID.SEQ.iN.heap} as allocation goes on) whose estimated live bytes keep
 * growing after warm-up: what {@code jeprof --base=first.heap last.heap} shows by hand, judged over every profile
 * (Theil–Sen of the live total over the profiles' times) and named by the stack that grew most between the window's
 * first and last profile. Runs with an RSS timeline ({@code hotpath record}) are judged by
 * {@code native.untracked-growth}, which takes its culprit from the same profiles, so this rule stays silent there.
 * Defaults as for untracked growth: 10 MB/min warning, 60 MB/min critical, at least 16 MB over the window.
 */
public final class JemallocGrowthRule implements Rule {
    public static final String ID = "native.jemalloc-growth";
    private static final Pattern PID = Pattern.compile("\\.(\\d+)\\.\\d+\\.[fium]\\d*\\.heap$");

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
        return "Live malloc'd memory in a series of jemalloc heap profiles keeps growing; names the stack that grew";
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(
                new Threshold("growthMbPerMin", 10, "MB/min", "growth of the profiles' live bytes that is a warning"),
                new Threshold("criticalMbPerMin", 60, "MB/min", "growth that is critical"),
                new Threshold("minGrowthMb", 16, "MB", "least total growth over the judged window"),
                new Threshold("warmupPercent", 20, "percent", "share of the profiles' time span at its start left out"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        if (!ctx.summaries(RssSeries.class).isEmpty()) {
            return;
        }
        Map<String, List<JemallocProfileSummary>> byPid = new TreeMap<>();
        for (JemallocProfileSummary p : ctx.summaries(JemallocProfileSummary.class)) {
            if (p.epochMillis() > 0) {
                Matcher m = PID.matcher(p.source().sourceName());
                byPid.computeIfAbsent(m.find() ? m.group(1) : "", k -> new ArrayList<>()).add(p);
            }
        }
        for (Map.Entry<String, List<JemallocProfileSummary>> e : byPid.entrySet()) {
            judge(ctx, e.getKey(), e.getValue());
        }
    }

    private static void judge(RuleContext ctx, String pid, List<JemallocProfileSummary> profiles) {
        List<JemallocProfileSummary> all = new ArrayList<>(profiles);
        all.sort(Comparator.comparingLong(JemallocProfileSummary::epochMillis)
                .thenComparingLong(JemallocProfileSummary::sequence));
        if (all.size() < 2) {
            return;
        }
        long first = all.get(0).epochMillis();
        long last = all.get(all.size() - 1).epochMillis();
        if (last <= first) {
            return; // copied without their times: no clock to judge a rate by
        }
        long start = first + (long) ((last - first) * ctx.threshold("warmupPercent") / 100.0);
        List<JemallocProfileSummary> window = new ArrayList<>();
        for (JemallocProfileSummary p : all) {
            if (p.epochMillis() >= start) {
                window.add(p);
            }
        }
        if (window.size() < 2) {
            window = all.subList(all.size() - 2, all.size());
        }
        long[] t = new long[window.size()];
        double[] mb = new double[window.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = window.get(i).epochMillis();
            mb[i] = window.get(i).totalBytes() / (1024.0 * 1024.0);
        }
        double slope = TheilSen.perMinute(t, mb);
        double delta = mb[mb.length - 1] - mb[0];
        if (Double.isNaN(slope) || slope < ctx.threshold("growthMbPerMin") || delta < ctx.threshold("minGrowthMb")) {
            return;
        }
        JemallocProfileSummary a = window.get(0);
        JemallocProfileSummary b = window.get(window.size() - 1);
        NativeStack culprit = null;
        double culpritGrowth = 0;
        for (NativeStack s : b.top()) {
            double before = 0;
            for (NativeStack f : a.top()) {
                if (f.frames().equals(s.frames())) {
                    before = f.bytes();
                }
            }
            if (s.bytes() - before > culpritGrowth) {
                culprit = s;
                culpritGrowth = s.bytes() - before;
            }
        }
        long seconds = Math.round((b.epochMillis() - a.epochMillis()) / 1000.0);
        String who = pid.isEmpty() ? "one process" : "pid " + pid;
        String under = culprit == null ? "" : " under " + culprit.culprit();
        Finding.Builder f = Finding.builder(ID, Category.NATIVE)
                .severity(slope >= ctx.threshold("criticalMbPerMin") ? Severity.CRITICAL : Severity.WARNING)
                .title("Live malloc'd memory grows " + fmt(slope) + " MB/min" + under)
                .evidence("growthMbPerMin", UntrackedNativeGrowthRule.round(slope))
                .evidence("liveStartMb", UntrackedNativeGrowthRule.round(mb[0]))
                .evidence("liveEndMb", UntrackedNativeGrowthRule.round(mb[mb.length - 1]))
                .evidence("windowSeconds", seconds)
                .evidence("profiles", window.size());
        if (!pid.isEmpty()) {
            f.evidence("pid", Long.parseLong(pid));
        }
        StringBuilder summary = new StringBuilder("jemalloc's heap profiles of " + who + " put live malloc'd memory at "
                + fmt(mb[0]) + " → " + fmt(mb[mb.length - 1]) + " MB over " + seconds + " s after warm-up ("
                + window.size() + " profiles).");
        if (culprit != null) {
            summary.append(" The stack that grew most, by ").append(fmt(culpritGrowth / (1024.0 * 1024.0)))
                    .append(" MB: ").append(culprit.culprit());
            String java = NmtSites.entryPoint(culprit.culprit());
            summary.append(" (").append(java == null ? "" : java + ", ").append("leaf ").append(culprit.leaf()).append(").");
            f.evidence("culprit", culprit.culprit())
                    .evidence("culpritStack", culprit.frames().subList(0, Math.min(16, culprit.frames().size())))
                    .evidence("culpritGrowthMb", UntrackedNativeGrowthRule.round(culpritGrowth / (1024.0 * 1024.0)));
        }
        f.summary(summary.toString());
        String c = culprit == null ? "" : culprit.culprit();
        f.recommendation((c.contains("_zip_")
                ? Culprits.ZIP_ADVICE + " "
                : "Free or bound what " + (c.isEmpty() ? "the growing stacks allocate" : c + " allocates")
                + "; if it is a JNI library, look for its release call. ")
                + "jemalloc's profiles see native frames only; record with async-profiler nativemem for the Java stack.");
        Set<String> sources = new LinkedHashSet<>();
        sources.add(a.source().sourceName());
        sources.add(b.source().sourceName());
        f.sources(sources);
        ctx.emit(f.build());
    }

    static String fmt(double v) {
        return UntrackedNativeGrowthRule.fmt(v);
    }
}
