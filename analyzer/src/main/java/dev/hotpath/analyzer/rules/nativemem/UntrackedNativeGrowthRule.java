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

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code native.untracked-growth}: the process's RSS grows while the JVM's own accounting (NMT's committed total,
 * which includes the Java heap) does not keep up — memory malloc'd by native code (zlib behind unended
 * Deflaters/Inflaters, JNI libraries, glibc arenas) that no JVM tool sees.
 *
 * <p>Needs: the RSS timeline ({@link RssSeries}); NMT snapshots to subtract what the JVM accounts for (without them
 * the finding says RSS growth only); optionally async-profiler nativemem or jemalloc profiles for the culprit.
 * Slopes are Theil–Sen over the run after its first {@code warmupPercent}.
 *
 * <p>Thresholds: {@code growthMbPerMin} (10): a JVM past warm-up holds its native footprint flat apart from steps
 * of a few MB; 10 MB/min is 14 GB a day — a container limit is hit within hours. {@code criticalMbPerMin} (60).
 * {@code minGrowthMb} (16): the growth over the window must also add up to this much, so a short run's wobble is
 * not a trend.
 */
public final class UntrackedNativeGrowthRule implements Rule {
    public static final String ID = "native.untracked-growth";

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
        return "RSS grows faster than the JVM's native memory accounting (NMT): a native leak outside the JVM";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(
                new Threshold("growthMbPerMin", 10, "MB/min", "untracked native growth that is a warning"),
                new Threshold("criticalMbPerMin", 60, "MB/min", "untracked native growth that is critical"),
                new Threshold("minGrowthMb", 16, "MB", "least total growth over the judged window"),
                new Threshold("warmupPercent", 20, "percent", "share of the run at its start left out"));
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<RssSeries> rss = ctx.summaries(RssSeries.class);
        List<NmtSnapshot> nmt = ctx.summaries(NmtSnapshot.class);
        NativeTimeline tl = NativeTimeline.of(rss, nmt, ctx.threshold("warmupPercent") / 100.0);
        if (tl == null || !tl.hasRss()) {
            return;
        }
        double rssSlope = tl.rssSlope();
        boolean withNmt = tl.hasNmt();
        double nmtSlope = withNmt ? tl.nmtSlope(NmtReport::totalCommittedKb) : Double.NaN;
        double heapSlope = withNmt ? tl.nmtSlope(r -> r.committedKb("Java Heap")) : Double.NaN;
        double untracked = withNmt ? tl.untrackedSlope() : rssSlope;
        double windowMin = tl.windowSeconds() / 60.0;
        double growthMb = untracked * windowMin;
        double threshold = ctx.threshold("growthMbPerMin");
        if (Double.isNaN(untracked) || untracked < threshold || growthMb < ctx.threshold("minGrowthMb")) {
            return;
        }
        Severity sev = untracked >= ctx.threshold("criticalMbPerMin") ? Severity.CRITICAL : Severity.WARNING;
        Culprits.Culprit c = Culprits.find(ctx.summaries(NativeMemSummary.class),
                ctx.summaries(JemallocProfileSummary.class), Culprits::outsideJvm);

        String rate = fmt(untracked);
        String title = (withNmt ? "Native memory outside the JVM's accounting grows " : "RSS grows ") + rate + " MB/min"
                + (c != null ? " under " + c.stack().culprit() : "");
        StringBuilder summary = new StringBuilder();
        summary.append("Over the last ").append(Math.round(tl.windowSeconds())).append(" s RSS grows ")
                .append(fmt(rssSlope)).append(" MB/min (").append(fmt(tl.rssFirstMb())).append(" → ")
                .append(fmt(tl.rssLastMb())).append(" MB)");
        if (withNmt) {
            summary.append(" while NMT's committed total grows ").append(fmt(nmtSlope)).append(" MB/min (Java heap ")
                    .append(fmt(heapSlope)).append(" MB/min): ").append(rate)
                    .append(" MB/min is allocated where the JVM does not account for it.");
        } else {
            summary.append("; no NMT snapshots were recorded, so JVM-internal growth cannot be told apart.");
        }
        if (c != null) {
            summary.append(' ').append(c.source()).append(" puts ")
                    .append(Double.isNaN(c.mbPerMin()) ? "the most memory" : fmt(c.mbPerMin()) + " MB/min")
                    .append(" under ").append(c.stack().culprit());
            if (!c.stack().leaf().isEmpty() && !c.stack().leaf().equals(c.stack().culprit())) {
                summary.append(" → ").append(c.stack().leaf());
            }
            summary.append('.');
        } else {
            summary.append(" No native profile names the stack: record with --async-profiler nativemem (or --jemalloc).");
        }

        Finding.Builder f = Finding.builder(ID, Category.NATIVE).severity(sev).title(title).summary(summary.toString())
                .evidence("untrackedGrowthMbPerMin", round(untracked))
                .evidence("rssGrowthMbPerMin", round(rssSlope))
                .evidence("rssStartMb", round(tl.rssFirstMb()))
                .evidence("rssEndMb", round(tl.rssLastMb()))
                .evidence("windowSeconds", Math.round(tl.windowSeconds()));
        if (withNmt) {
            f.evidence("nmtCommittedGrowthMbPerMin", round(nmtSlope)).evidence("javaHeapGrowthMbPerMin", round(heapSlope));
        }
        Set<String> sources = new LinkedHashSet<>();
        rss.forEach(s -> sources.add(s.source().sourceName()));
        if (withNmt) {
            tl.nmt.forEach(s -> sources.add(s.source().sourceName()));
        }
        if (c != null) {
            f.evidence("culprit", c.stack().culprit()).evidence("culpritLeaf", c.stack().leaf())
                    .evidence("culpritStack", c.stack().frames().subList(0, Math.min(16, c.stack().frames().size())))
                    .evidence("culpritSource", c.source());
            if (!Double.isNaN(c.mbPerMin())) {
                f.evidence("culpritMbPerMin", round(c.mbPerMin()));
            }
            sources.add(c.source());
        }
        f.recommendation(recommendation(c)).sources(sources);
        ctx.emit(f.build());
    }

    private static String recommendation(Culprits.Culprit c) {
        if (c != null) {
            String all = String.join(" ", c.stack().frames());
            if (all.contains("Deflater") || all.contains("deflateInit")) {
                return "Call end() on every java.util.zip.Deflater created at " + c.stack().culprit()
                        + " (try/finally), or reuse one per thread: each unended Deflater keeps ~256 KiB of zlib state "
                        + "until its Cleaner runs, which a large heap may postpone indefinitely.";
            }
            if (all.contains("Inflater") || all.contains("inflateInit")) {
                return "Call end() on every java.util.zip.Inflater created at " + c.stack().culprit()
                        + " (and close GZIP/Zip streams), or reuse them: unended Inflaters keep zlib state in native memory.";
            }
            return "Free what " + c.stack().culprit() + " allocates (" + c.stack().leaf() + "): find the matching "
                    + "release call for this native resource and make sure every path reaches it.";
        }
        return "Record again with --async-profiler nativemem (Java stacks of unfreed mallocs) or --jemalloc to name "
                + "the allocating stack; check JNI libraries and java.util.zip users first.";
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
