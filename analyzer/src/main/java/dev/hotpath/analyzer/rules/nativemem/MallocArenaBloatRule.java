package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.nativemem.JemallocProfileSummary;
import dev.hotpath.analyzer.nativemem.JemallocStatsSummary;
import dev.hotpath.analyzer.nativemem.NmtSnapshot;
import dev.hotpath.analyzer.nativemem.RssSeries;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code native.malloc-arena-bloat}: at the end of the run RSS is far above everything the JVM accounts for (NMT's
 * committed total) in a process with many threads and glibc malloc (no jemalloc evidence in the run). glibc gives
 * each thread that contends an arena of its own (up to 8 per core) and returns freed memory inside an arena to the
 * OS only from the top, so freed-but-fragmented native memory stays resident.
 *
 * <p>Thresholds: {@code untrackedMb} (256) and {@code untrackedPercent} (30, of RSS) — below that, libraries'
 * own mallocs and the C heap's normal slack explain the gap; {@code minThreads} (16): with few threads there are few
 * arenas and bloat is not their doing.
 */
public final class MallocArenaBloatRule implements Rule {
    public static final String ID = "native.malloc-arena-bloat";

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
        return "RSS far above the JVM's accounting with many threads under glibc malloc: arena fragmentation";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("untrackedMb", 256, "MB", "RSS above NMT's committed total"),
                new Threshold("untrackedPercent", 30, "percent", "that gap as a share of RSS"),
                new Threshold("minThreads", 16, "count", "threads NMT counts"));
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        if (!ctx.summaries(JemallocStatsSummary.class).isEmpty() || !ctx.summaries(JemallocProfileSummary.class).isEmpty()) {
            return; // jemalloc was preloaded: not glibc's arenas
        }
        List<RssSeries> rssList = ctx.summaries(RssSeries.class);
        List<NmtSnapshot> series = NativeTimeline.series(ctx.summaries(NmtSnapshot.class));
        NmtSnapshot last = series.isEmpty() ? null : series.get(series.size() - 1);
        if (rssList.isEmpty() || last == null) {
            return;
        }
        RssSeries rss = rssList.get(0);
        int nearest = -1;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < rss.size(); i++) {
            long d = Math.abs(rss.epochMillis()[i] - last.epochMillis());
            if (d < best && rss.rssKb()[i] > 0) {
                best = d;
                nearest = i;
            }
        }
        if (nearest < 0 || best > 10_000) {
            return;
        }
        double rssMb = rss.rssKb()[nearest] / 1024.0;
        double committedMb = last.report().totalCommittedKb() / 1024.0;
        double gapMb = rssMb - committedMb;
        double gapPct = 100 * gapMb / rssMb;
        long threads = last.report().threadCount();
        if (gapMb < ctx.threshold("untrackedMb") || gapPct < ctx.threshold("untrackedPercent")
                || threads < ctx.threshold("minThreads")) {
            return;
        }
        double jvmMallocMb = last.report().mallocKb() / 1024.0;
        String g = UntrackedNativeGrowthRule.fmt(gapMb);
        Set<String> sources = new LinkedHashSet<>(List.of(rss.source().sourceName(), last.source().sourceName()));
        ctx.emit(Finding.builder(ID, Category.NATIVE).severity(Severity.WARNING)
                .title("RSS is " + g + " MB above what the JVM accounts for, with " + threads + " threads on glibc malloc")
                .summary("RSS is " + UntrackedNativeGrowthRule.fmt(rssMb) + " MB while NMT's committed total is "
                        + UntrackedNativeGrowthRule.fmt(committedMb) + " MB (of which the JVM's own mallocs "
                        + UntrackedNativeGrowthRule.fmt(jvmMallocMb) + " MB): " + g + " MB ("
                        + UntrackedNativeGrowthRule.fmt(gapPct) + "% of RSS) is outside the JVM's accounting. With "
                        + threads + " threads glibc keeps up to 8 malloc arenas per core, and memory freed inside an "
                        + "arena stays resident when fragmented.")
                .evidence("untrackedMb", UntrackedNativeGrowthRule.round(gapMb))
                .evidence("untrackedPercent", UntrackedNativeGrowthRule.round(gapPct))
                .evidence("rssMb", UntrackedNativeGrowthRule.round(rssMb))
                .evidence("nmtCommittedMb", UntrackedNativeGrowthRule.round(committedMb))
                .evidence("jvmMallocMb", UntrackedNativeGrowthRule.round(jvmMallocMb))
                .evidence("threads", threads)
                .recommendation("Limit glibc's arenas with MALLOC_ARENA_MAX=2 (environment of the JVM), or preload "
                        + "jemalloc (LD_PRELOAD=libjemalloc.so.2); measure both against the current setup with "
                        + "`hotpath allocators compare --cmd \"<command>\" --variants glibc,jemalloc --runs 5`.")
                .sources(sources).build());
    }
}
