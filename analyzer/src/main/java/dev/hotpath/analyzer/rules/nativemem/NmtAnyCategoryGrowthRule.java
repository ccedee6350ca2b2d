package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.nativemem.NmtSnapshot;
import dev.hotpath.analyzer.nativemem.RssSeries;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;
import dev.hotpath.nativemem.nmt.NmtReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code native.nmt-category-growth}: any NMT category without a rule of its own keeps growing after warm-up —
 * Symbol (the symbol and interned-string tables), Internal, Compiler, Arena Chunk, GC, Tracing, Object Monitors...
 * Every one of them can leak (an unbounded {@code String.intern}, an agent's JNI references, monitors left inflated,
 * remembered sets), and which one grows says where to look. One finding per growing category, judged like the
 * other NMT growth rules (Theil–Sen over the summaries after warm-up; 5 MB/min warning, 50 MB/min critical, at least
 * 8 MB over the window). The collector's categories grow with the committed heap (card tables, bitmaps), so they
 * count only beyond {@code gcShareOfHeapGrowth} of the Java heap's own growth. The JIT's categories (Compiler, Arena
 * Chunk) hold a compile's arenas only while it runs, and a service still warming up compiles ever larger methods, so
 * their snapshots rise with whatever compile each one caught: they are judged by their lower envelope (each snapshot's
 * value the least from it on, {@link NativeTimeline#nmtKept}), the memory they never give back, without the last
 * snapshot, which nothing after it can show given back. (20-second clean demos on a fast machine showed Compiler at
 * 19.4 MB/min by their raw snapshots, and 6.6 MB/min by an envelope that ended on a compile in flight.) With NMT
 * detail outputs in the run (two detail snapshots, or a {@code detail.diff}), the finding names the native call sites
 * that grew.
 */
public final class NmtAnyCategoryGrowthRule implements Rule {
    public static final String ID = "native.nmt-category-growth";
    /** Categories judged by their own rules, or whose growth is bounded by design (heap, code cache, CDS, NMT). */
    static final Set<String> NOT_JUDGED = Set.of("Java Heap", "Other", "Class", "Metaspace", "Thread", "Code",
            "Shared class space", "Native Memory Tracking");
    private static final Set<String> GC_CATEGORIES = Set.of("GC", "GCCardSet");
    /** Categories whose memory comes and goes with each JIT compile: judged by what they keep. */
    static final Set<String> TRANSIENT_CATEGORIES = Set.of("Compiler", "Arena Chunk");
    /**
     * The least span of kept points over which the JIT's categories are judged. Freed arena chunks stay in HotSpot's
     * chunk pool until its cleaner runs (every 5 s), and a warming service's compiles come in bursts longer than a
     * short run, so within tens of seconds even the lower envelope rises with warm-up: a 20-second clean demo showed
     * Arena Chunk at 22.4 MB/min by its kept points. A leak of the JIT's memory shows over minutes.
     */
    static final long TRANSIENT_MIN_SPAN_MILLIS = 60_000;

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
        return "Another NMT category (Symbol, Internal, Compiler, GC, Tracing...) keeps growing; names the native call sites with NMT detail";
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(
                new Threshold("growthMbPerMin", 5, "MB/min", "committed growth of one category that is a warning"),
                new Threshold("criticalMbPerMin", 50, "MB/min", "committed growth that is critical"),
                new Threshold("minGrowthMb", 8, "MB", "least total growth over the judged window"),
                new Threshold("warmupPercent", 20, "percent", "share of the run at its start left out"),
                new Threshold("gcShareOfHeapGrowth", 0.1, "ratio", "GC/GCCardSet growth up to this share of the Java heap's committed growth is the heap's, not a leak"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<NmtSnapshot> all = ctx.summaries(NmtSnapshot.class);
        NativeTimeline tl = NativeTimeline.of(ctx.summaries(RssSeries.class), all, ctx.threshold("warmupPercent") / 100.0);
        if (tl == null || !tl.hasNmt()) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        for (NmtSnapshot s : tl.nmt) {
            names.addAll(s.report().categories().keySet());
        }
        names.removeAll(NOT_JUDGED);
        double heapGrowthMb = tl.nmtDelta(r -> r.committedKb("Java Heap")) / 1024.0;
        for (String c : names) {
            double slope;
            double startMb;
            double endMb;
            long spanMillis;
            if (TRANSIENT_CATEGORIES.contains(c)) {
                NativeTimeline.Kept kept = tl.nmtKept(r -> r.committedKb(c));
                if (kept.mb().length < 2) {
                    continue;
                }
                spanMillis = kept.epochMillis()[kept.mb().length - 1] - kept.epochMillis()[0];
                if (spanMillis < TRANSIENT_MIN_SPAN_MILLIS) {
                    continue;
                }
                slope = kept.slope();
                startMb = kept.firstMb();
                endMb = kept.lastMb();
            } else {
                slope = tl.nmtSlope(r -> r.committedKb(c));
                startMb = tl.nmt.get(0).report().committedKb(c) / 1024.0;
                endMb = tl.nmt.get(tl.nmt.size() - 1).report().committedKb(c) / 1024.0;
                spanMillis = tl.nmt.get(tl.nmt.size() - 1).epochMillis() - tl.nmt.get(0).epochMillis();
            }
            double deltaMb = endMb - startMb;
            if (Double.isNaN(slope) || slope < ctx.threshold("growthMbPerMin") || deltaMb < ctx.threshold("minGrowthMb")) {
                continue;
            }
            if (GC_CATEGORIES.contains(c) && deltaMb <= ctx.threshold("gcShareOfHeapGrowth") * heapGrowthMb) {
                continue;
            }
            ctx.emit(finding(ctx, tl, all, c, slope, startMb, endMb, Math.round(spanMillis / 1000.0), heapGrowthMb));
        }
    }

    private static Finding finding(RuleContext ctx, NativeTimeline tl, List<NmtSnapshot> all, String c, double slope,
                                   double startMb, double endMb, long seconds, double heapGrowthMb) {
        Set<String> sources = new LinkedHashSet<>();
        tl.nmt.forEach(s -> sources.add(s.source().sourceName()));
        Sites sites = sites(tl, all, c);
        Severity sev = slope >= ctx.threshold("criticalMbPerMin") ? Severity.CRITICAL : Severity.WARNING;
        String top = sites.growth.isEmpty() ? "" : " at " + sites.growth.get(0).name();
        Finding.Builder f = Finding.builder(ID, Category.NATIVE).severity(sev)
                .title("NMT category '" + c + "' grows " + fmt(slope) + " MB/min" + top)
                .evidence("nmtCategory", c)
                .evidence("growthMbPerMin", UntrackedNativeGrowthRule.round(slope))
                .evidence("committedStartMb", UntrackedNativeGrowthRule.round(startMb))
                .evidence("committedEndMb", UntrackedNativeGrowthRule.round(endMb))
                .evidence("windowSeconds", seconds);
        StringBuilder summary = new StringBuilder("NMT's '" + c + "' category grows " + fmt(slope)
                + " MB/min after warm-up (" + (TRANSIENT_CATEGORIES.contains(c) ? "kept between compiles" : "committed")
                + " " + fmt(startMb) + " → " + fmt(endMb) + " MB over " + seconds + " s).");
        if (GC_CATEGORIES.contains(c)) {
            summary.append(" The Java heap's committed size grew ").append(fmt(heapGrowthMb))
                    .append(" MB meanwhile, which explains only part of it.");
            f.evidence("javaHeapGrowthMb", UntrackedNativeGrowthRule.round(heapGrowthMb));
        }
        if (sites.growth.isEmpty()) {
            summary.append(" No NMT detail output in the run names the native call sites.");
        } else {
            summary.append(' ').append(sites.from).append(" puts ").append(NmtSites.describe(sites.growth, 3));
            List<Map<String, Object>> listed = new ArrayList<>();
            for (int i = 0; i < Math.min(3, sites.growth.size()); i++) {
                NmtSites.Growth g = sites.growth.get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("site", g.name());
                m.put("growthMb", UntrackedNativeGrowthRule.round(g.deltaKb() / 1024.0));
                m.put("frames", g.site().frames().stream().map(NmtSites::function).toList());
                listed.add(m);
            }
            summary.append('.');
            f.evidence("culprit", sites.growth.get(0).name()).evidence("sites", listed);
            sources.add(sites.source);
        }
        f.summary(summary.toString());
        f.recommendation(advice(c) + (sites.growth.isEmpty()
                ? " To see the native call sites, start the JVM with -XX:NativeMemoryTracking=detail, take "
                + "`jcmd <pid> VM.native_memory baseline`, and after the growth `jcmd <pid> VM.native_memory detail.diff`."
                : ""));
        f.sources(sources);
        return f.build();
    }

    /** What to look at when this category grows; from what HotSpot accounts under it. */
    static String advice(String c) {
        return switch (c) {
            case "Symbol" -> "The symbol and interned-string tables grow: look for String.intern() of unbounded values "
                    + "(request keys, ids, file names) and for classes generated without end (proxies, scripts, "
                    + "per-call lambdas or bytecode); intern only a bounded set, or keep your own map with eviction.";
            case "Internal" -> "HotSpot's internal tables grow (JNI and JVMTI bookkeeping among them): look for a native "
                    + "library or agent that creates JNI global references or JVMTI tags and never releases them.";
            case "Compiler", "Arena Chunk" -> "The JIT compilers' arena memory grows: it is returned after each compile, so "
                    + "steady growth means compiles that never end or a JVM bug; check jdk.Compilation events (or "
                    + "-XX:+PrintCompilation) for huge methods and a compilation storm.";
            case "GC", "GCCardSet" -> "The collector's own structures outgrow the heap: with G1 these are mostly remembered "
                    + "sets, which grow with references between regions (large caches updated in place); a larger "
                    + "-XX:G1HeapRegionSize or fewer cross-region updates shrink them.";
            case "Tracing" -> "JFR's buffers and tables grow: a recording kept in memory (disk=false) or one with a huge "
                    + "number of distinct stack traces; bound it with maxsize/maxage and record to disk.";
            case "Logging" -> "Unified logging's buffers grow: an asynchronous -Xlog that cannot keep up with a verbose "
                    + "selection; log less or to a faster target.";
            case "Object Monitors", "Synchronizer" -> "Inflated monitors accumulate: many objects locked under contention "
                    + "or used with wait/notify stay inflated until the JVM deflates them; lock on fewer, long-lived objects.";
            case "Module" -> "The module graph grows: ModuleLayers are defined and kept; reuse layers instead of "
                    + "creating one per plugin load.";
            case "Serviceability" -> "JVMTI and serviceability structures grow: an attached agent (profiler, debugger) "
                    + "holding tags or frames; detach it or update it.";
            case "Other" -> "Direct ByteBuffers and Unsafe.allocateMemory grow: buffers allocated per request and kept "
                    + "reachable, or never freed; pool them and cap the total with -XX:MaxDirectMemorySize.";
            case "Class", "Metaspace" -> "Class metadata grows: classes keep being loaded (generated proxies, scripts, "
                    + "redeployed class loaders kept alive); find the loader that holds them in a heap dump.";
            case "Thread" -> "Threads keep being started and not ended: a pool created per task or threads that block "
                    + "forever; check the thread count in JFR or a thread dump.";
            default -> "Find what allocates under '" + c + "' in NMT detail output.";
        };
    }

    /** Where the growing sites come from: two detail outputs in the window, else the run's latest detail.diff. */
    private record Sites(List<NmtSites.Growth> growth, String from, String source) {
    }

    private static Sites sites(NativeTimeline tl, List<NmtSnapshot> all, String c) {
        NmtSnapshot firstDetail = null;
        NmtSnapshot lastDetail = null;
        for (NmtSnapshot s : tl.nmt) {
            if (!s.report().sites().isEmpty()) {
                if (firstDetail == null) {
                    firstDetail = s;
                }
                lastDetail = s;
            }
        }
        if (firstDetail != null && firstDetail != lastDetail) {
            long secs = Math.round((lastDetail.epochMillis() - firstDetail.epochMillis()) / 1000.0);
            return new Sites(NmtSites.between(firstDetail.report(), lastDetail.report(), c),
                    "NMT detail, " + secs + " s apart,", lastDetail.source().sourceName());
        }
        NmtSnapshot diff = null;
        for (NmtSnapshot s : all) {
            if (s.report().kind() == NmtReport.Kind.DETAIL_DIFF && (diff == null || s.epochMillis() > diff.epochMillis())) {
                diff = s;
            }
        }
        if (diff != null) {
            return new Sites(NmtSites.sinceBaseline(diff.report(), c), "NMT detail.diff (since its baseline)",
                    diff.source().sourceName());
        }
        return new Sites(List.of(), "", "");
    }

    static String fmt(double v) {
        return UntrackedNativeGrowthRule.fmt(v);
    }
}
