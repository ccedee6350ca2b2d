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

import java.nio.file.Path;
import java.util.ArrayList;
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
 * Slopes are Theil–Sen over the run after its first {@code warmupPercent}. Each RSS timeline is judged with the
 * NMT snapshots and profiles recorded in its own directory (a run may hold several processes).
 *
 * <p>The model: NMT's committed total is an upper bound of what the JVM can make resident, not what is resident —
 * committed pages (above all the Java heap) become resident only when first touched, so anon RSS of a healthy JVM
 * climbs toward the committed total for as long as allocation keeps reaching new heap regions. Evidence of a leak
 * is therefore (a) resident anonymous memory growing beyond everything committed, or (b) a native profile holding
 * at least {@code minGrowthMb} malloc'd outside the JVM and not freed by its cutoff, at the threshold's rate.
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
        List<RssSeries> rssAll = ctx.summaries(RssSeries.class);
        List<NmtSnapshot> nmtAll = ctx.summaries(NmtSnapshot.class);
        List<NativeMemSummary> asprofAll = ctx.summaries(NativeMemSummary.class);
        List<JemallocProfileSummary> jemallocAll = ctx.summaries(JemallocProfileSummary.class);
        for (RssSeries rss : rssAll) {
            // one process at a time: a run may hold several services' recordings (hotpath demo), and one process's
            // RSS must only be judged against its own NMT snapshots and profiles
            boolean single = rssAll.size() == 1;
            evaluate(ctx, rss, sameProcess(nmtAll, rss, single, NmtSnapshot::source),
                    sameProcess(asprofAll, rss, single, NativeMemSummary::source),
                    sameProcess(jemallocAll, rss, single, JemallocProfileSummary::source));
        }
    }

    /** The summaries recorded beside the RSS timeline (its directory or below); all of them when there is one timeline. */
    static <T> List<T> sameProcess(List<T> all, RssSeries rss, boolean single,
                                   java.util.function.Function<T, dev.hotpath.analyzer.model.Artifact> source) {
        if (single) {
            return all;
        }
        Path dir = rss.source().path().toAbsolutePath().getParent();
        List<T> out = new ArrayList<>();
        for (T t : all) {
            if (dir != null && source.apply(t).path().toAbsolutePath().startsWith(dir)) {
                out.add(t);
            }
        }
        return out;
    }

    private void evaluate(RuleContext ctx, RssSeries rss, List<NmtSnapshot> nmt, List<NativeMemSummary> asprof,
                          List<JemallocProfileSummary> jemalloc) {
        NativeTimeline tl = NativeTimeline.of(List.of(rss), nmt, ctx.threshold("warmupPercent") / 100.0);
        if (tl == null || !tl.hasRss()) {
            return;
        }
        double threshold = ctx.threshold("growthMbPerMin");
        double minGrowth = ctx.threshold("minGrowthMb");
        double rssSlope = tl.rssSlope();
        boolean withNmt = tl.hasNmt();
        double nmtSlope = withNmt ? tl.nmtSlope(NmtReport::totalCommittedKb) : Double.NaN;
        double heapSlope = withNmt ? tl.nmtSlope(r -> r.committedKb("Java Heap")) : Double.NaN;
        // RSS evidence: without NMT, all RSS growth; with it, only growth beyond everything the JVM committed
        double fromRss = Double.NaN;
        double[] beyond = null;
        if (withNmt) {
            beyond = tl.beyondCommitted();
            if (beyond != null && beyond[0] * beyond[1] / 60.0 >= minGrowth) {
                fromRss = beyond[0];
            }
        } else if (rssSlope * tl.windowSeconds() / 60.0 >= minGrowth) {
            fromRss = rssSlope;
        }
        Culprits.Culprit c = Culprits.find(asprof, jemalloc, Culprits::outsideJvm);
        // profile evidence: blocks malloc'd outside the JVM and still held at the profile's cutoff are a leak even
        // while RSS is still filling pages the JVM committed earlier
        double fromProfile = c != null && !Double.isNaN(c.mbPerMin()) && c.stack().bytes() / (1024.0 * 1024.0) >= minGrowth
                ? c.mbPerMin() : Double.NaN;
        double untracked = Double.isNaN(fromRss) ? fromProfile
                : Double.isNaN(fromProfile) ? fromRss : Math.max(fromRss, fromProfile);
        if (Double.isNaN(untracked) || untracked < threshold) {
            return;
        }
        Severity sev = untracked >= ctx.threshold("criticalMbPerMin") ? Severity.CRITICAL : Severity.WARNING;

        String rate = fmt(untracked);
        String title = (withNmt ? "Native memory outside the JVM's accounting grows " : "RSS grows ") + rate + " MB/min"
                + (c != null ? " under " + c.stack().culprit() : "");
        StringBuilder summary = new StringBuilder();
        summary.append("Over the last ").append(Math.round(tl.windowSeconds())).append(" s RSS grows ")
                .append(fmt(rssSlope)).append(" MB/min (").append(fmt(tl.rssFirstMb())).append(" → ")
                .append(fmt(tl.rssLastMb())).append(" MB)");
        if (withNmt) {
            summary.append(" while NMT's committed total grows ").append(fmt(nmtSlope)).append(" MB/min (Java heap ")
                    .append(fmt(heapSlope)).append(" MB/min)");
            if (!Double.isNaN(fromRss)) {
                summary.append("; resident anonymous memory beyond all the JVM committed grows ").append(fmt(fromRss))
                        .append(" MB/min (").append(fmt(beyond[2])).append(" → ").append(fmt(beyond[3]))
                        .append(" MB over ").append(Math.round(beyond[1])).append(" s)");
            } else {
                summary.append("; resident memory stays within what the JVM committed (pages it commits become "
                        + "resident as they are first touched), so RSS alone proves no leak yet");
            }
            summary.append('.');
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
            summary.append(Double.isNaN(c.mbPerMin()) ? "." : " that is still not freed ("
                    + fmt(c.stack().bytes() / (1024.0 * 1024.0)) + " MB).");
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
            if (!Double.isNaN(fromRss)) {
                f.evidence("beyondCommittedGrowthMbPerMin", round(fromRss))
                        .evidence("beyondCommittedStartMb", round(beyond[2]))
                        .evidence("beyondCommittedEndMb", round(beyond[3]))
                        .evidence("beyondCommittedSeconds", Math.round(beyond[1]));
            }
        }
        Set<String> sources = new LinkedHashSet<>();
        sources.add(rss.source().sourceName());
        if (withNmt) {
            tl.nmt.forEach(s -> sources.add(s.source().sourceName()));
        }
        if (c != null) {
            f.evidence("culprit", c.stack().culprit()).evidence("culpritLeaf", c.stack().leaf())
                    .evidence("culpritStack", c.stack().frames().subList(0, Math.min(16, c.stack().frames().size())))
                    .evidence("culpritSource", c.source());
            if (!Double.isNaN(c.mbPerMin())) {
                f.evidence("culpritMbPerMin", round(c.mbPerMin()))
                        .evidence("culpritUnfreedMb", round(c.stack().bytes() / (1024.0 * 1024.0)));
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
