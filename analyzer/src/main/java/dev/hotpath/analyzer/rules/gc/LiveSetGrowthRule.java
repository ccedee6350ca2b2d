package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.jfr.internal.Stats;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.ArrayList;
import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.mib;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code gc.live-set-growth} (category {@code heap}): the heap left after collections keeps rising, i.e. the data the
 * application holds grows — a leak, or a cache without a bound.
 *
 * <p>Heap-after-GC is a sawtooth under generational collectors (old garbage waits for a mixed/full collection), so
 * the rule fits the floor, not the points: each sample is replaced by the minimum of it and every later sample, which
 * flattens garbage that is later collected and keeps data that is never freed. The floor's slope is a Theil–Sen
 * estimate (median of pairwise slopes), which a single full GC or an outlier cannot tilt.
 *
 * <p>Warm-up versus leak: a cache filling to its configured size grows fast at first and then flattens; a leak keeps
 * growing. So the trend that counts is the one of the later half of the recording (by time): the slope there sets the
 * projected time to a full heap, and growth whose late slope falls below {@code lateSlopeRatio} of the whole run's
 * slope (or that adds less than {@code minGrowthPercentOfMax} of the heap, or {@code minGrowthMb}, over the whole span
 * at the late rate) is reported as info, "growth that flattens", not as a leak.
 *
 * <p>How much growth counts: {@code minGrowthPercentOfMax} of the maximum heap or {@code minGrowthMb}, whichever is
 * less, so that a leak in a big default heap (a quarter of the machine's memory) is not hidden by its size. A log that
 * does not give the maximum heap is judged by size alone and gets no projection to a full heap.
 *
 * <p>Needs: {@link GcSummary} (heap after GC); names the culprit from {@link OldObjectSummary} when the recording has
 * old-object samples. Evidence: slopeMbPerMin, growthMb over spanSeconds, first/last floor, heapMaxMb,
 * minutesToFull, lateSlopeMbPerMin, flattening, top classes and frames.
 */
public final class LiveSetGrowthRule implements Rule {
    public static final String ID = "gc.live-set-growth";
    private static final int MAX_POINTS = 400;
    /** The frame JFR's old-object samples get when the recording kept no stack for them (the default settings). */
    private static final String NO_STACK = "[no stack]";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("minSamples", 8, "count", "heap-after-GC samples needed for a trend"),
            new Threshold("minGrowthPercentOfMax", 10, "percent",
                    "growth of the floor over the recording, relative to the maximum heap"),
            new Threshold("minGrowthMb", 256, "MB",
                    "growth of the floor over the recording that counts whatever the heap's size (big default heaps)"),
            new Threshold("lateSlopeRatio", 0.35, "ratio",
                    "late-half slope / whole-run slope below which growth is flattening (warm-up), not a leak"),
            new Threshold("criticalMinutesToFull", 60, "min",
                    "projected time until the floor reaches the maximum heap (OutOfMemoryError)"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.HEAP;
    }

    @Override
    public String description() {
        return "Live set (heap after GC, lower envelope) grows: Theil–Sen slope and time until the heap is full";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    /** Suffix minimum: the floor the heap never goes below from that point on. */
    static long[] floor(long[] bytes) {
        long[] f = bytes.clone();
        for (int i = f.length - 2; i >= 0; i--) {
            f[i] = Math.min(f[i], f[i + 1]);
        }
        return f;
    }

    /** Theil–Sen slope of the points in the later half of the time span; NaN when fewer than minPoints are there. */
    static double lateSlope(long[] xs, long[] ys, double minPoints) {
        long mid = xs[0] + (xs[xs.length - 1] - xs[0]) / 2;
        int from = 0;
        while (from < xs.length && xs[from] < mid) {
            from++;
        }
        int n = xs.length - from;
        if (n < Math.max(2, minPoints)) {
            return Double.NaN;
        }
        return Stats.theilSen(java.util.Arrays.copyOfRange(xs, from, xs.length),
                java.util.Arrays.copyOfRange(ys, from, ys.length));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<OldObjectSummary> olds = ctx.summaries(OldObjectSummary.class);
        for (GcSummary gc : ctx.summaries(GcSummary.class)) {
            long[] t = gc.heapAfterMs();
            long[] b = gc.heapAfterBytes();
            if (t.length < ctx.threshold("minSamples")) {
                continue;
            }
            // a log without gc+init (plain -Xlog:gc) does not say the maximum heap: judged by size alone, no projection
            boolean knownMax = gc.heapMaxBytes() > 0;
            long[] f = floor(b);
            int step = Math.max(1, t.length / MAX_POINTS);
            int n = (t.length + step - 1) / step;
            long[] xs = new long[n];
            long[] ys = new long[n];
            for (int i = 0, k = 0; i < t.length && k < n; i += step, k++) {
                xs[k] = t[i];
                ys[k] = f[i];
            }
            double slopePerMs = Stats.theilSen(xs, ys);
            if (Double.isNaN(slopePerMs) || slopePerMs <= 0) {
                continue;
            }
            long spanMs = t[t.length - 1] - t[0];
            double growthBytes = slopePerMs * spanMs;
            double growthPct = knownMax ? round1(100.0 * growthBytes / gc.heapMaxBytes()) : -1;
            // a share of the maximum heap, or a size: 256 MB held for good is a leak in a 30 GB heap too
            double minGrowth = ctx.threshold("minGrowthMb") * 1024 * 1024;
            if (knownMax) {
                minGrowth = Math.min(minGrowth, ctx.threshold("minGrowthPercentOfMax") * gc.heapMaxBytes() / 100.0);
            }
            if (growthBytes < minGrowth) {
                continue;
            }
            // Three points are enough for the late floor: it is a suffix minimum, so it can only rise or stay flat.
            double lateSlope = lateSlope(xs, ys, 3);
            if (Double.isNaN(lateSlope)) {
                lateSlope = slopePerMs;
            }
            boolean flattening = lateSlope < ctx.threshold("lateSlopeRatio") * slopePerMs
                    || Math.max(0, lateSlope) * spanMs < minGrowth;
            double slopeMbMin = round1(slopePerMs * 60_000 / (1024.0 * 1024.0));
            double lateSlopeMbMin = round1(Math.max(0, lateSlope) * 60_000 / (1024.0 * 1024.0));
            double lastFloor = f[f.length - 1];
            // Projected from the late rate: that is the rate the heap is growing at now.
            double minutesToFull = lateSlope <= 0 || !knownMax ? -1
                    : round1((gc.heapMaxBytes() - lastFloor) / (lateSlope * 60_000));
            Severity sev = flattening ? Severity.INFO
                    : minutesToFull >= 0 && minutesToFull <= ctx.threshold("criticalMinutesToFull") ? Severity.CRITICAL
                    : Severity.WARNING;
            OldObjectSummary old = olds.stream().filter(o -> o.source().equals(gc.source())).findFirst()
                    .orElse(olds.isEmpty() ? null : olds.get(0));
            String culprit = "";
            List<String> classes = new ArrayList<>();
            List<String> frames = new ArrayList<>();
            // JFR's default settings sample old objects without stacks: every sample's frame is then "[no stack]"
            List<OldObjectSummary.Count> stackFrames = old == null ? List.of()
                    : old.byFrame().stream().filter(c -> !c.name().equals(NO_STACK)).toList();
            String topFrame = stackFrames.isEmpty() ? null : stackFrames.get(0).name();
            String topClass = old == null || old.byClass().isEmpty() ? null : javaName(old.byClass().get(0).name());
            if (old != null) {
                old.byClass().stream().limit(3).forEach(c -> classes.add(javaName(c.name()) + " (" + c.samples() + " samples)"));
                stackFrames.stream().limit(3).forEach(c -> frames.add(c.name() + " (" + c.samples() + " samples)"));
                if (topFrame != null) {
                    culprit = " Old-object samples point at " + topClass + " allocated in " + topFrame + ".";
                } else if (topClass != null) {
                    culprit = " Old-object samples point at " + topClass + "; the recording kept no stacks for them "
                            + "(JFR's default settings), so the allocating frame is unknown.";
                }
            }
            String named = topFrame != null ? topFrame : topClass;
            double spanS = round1(spanMs / 1000.0);
            ctx.emit(Finding.builder(ID, Category.HEAP).severity(sev)
                    .title((flattening ? "Live set grew " + fmt(slopeMbMin) + " MB/min, then flattened"
                            : "Live set grows " + fmt(slopeMbMin) + " MB/min")
                            + (named != null ? " (" + named + ")" : ""))
                    .summary("The heap left after GC rose by " + fmt(mib(growthBytes)) + " MB over " + fmt(spanS)
                            + " s (" + fmt(slopeMbMin) + " MB/min, Theil–Sen slope of the post-GC floor, "
                            + (knownMax ? fmt(growthPct) + "% of the " + fmt(mib(gc.heapMaxBytes())) + " MB heap). "
                            : "the maximum heap unknown). ")
                            + (flattening
                            ? "In the later half of the recording it grew only " + fmt(lateSlopeMbMin)
                            + " MB/min: the growth flattens, as a cache or pool filling to its size does (warm-up), "
                            + "rather than a leak."
                            : "In the later half it still grew " + fmt(lateSlopeMbMin) + " MB/min"
                            + (minutesToFull >= 0 ? "; at that rate the heap is full in " + fmt(minutesToFull) + " min."
                            : ".")) + culprit)
                    .evidence("slopeMbPerMin", slopeMbMin)
                    .evidence("growthMb", mib(growthBytes))
                    .evidence("spanSeconds", spanS)
                    .evidence("growthPercentOfMax", growthPct)
                    .evidence("firstFloorMb", mib(f[0]))
                    .evidence("lastFloorMb", mib(lastFloor))
                    .evidence("heapMaxMb", knownMax ? mib(gc.heapMaxBytes()) : -1)
                    .evidence("minutesToFull", minutesToFull)
                    .evidence("lateSlopeMbPerMin", lateSlopeMbMin)
                    .evidence("flattening", flattening)
                    .evidence("samples", (long) t.length)
                    .evidence("topClasses", classes)
                    .evidence("topAllocationFrames", frames)
                    .evidence("timeRange", LongPausesRule.timeRange(gc))
                    .recommendation(topFrame == null
                            ? "Take two heap dumps a few minutes apart (hotpath heap --baseline) to see which "
                            + "collection grows" + (topClass != null ? " (of " + topClass + ")" : "") + ", or record "
                            + "with -XX:StartFlightRecording:settings=profile (old-object samples with stacks) to name "
                            + "the allocation site."
                            : "Check what holds the objects allocated in " + topFrame
                            + " (a map or cache without eviction is typical); bound it or release entries, then confirm "
                            + "with two heap dumps (hotpath heap --baseline).")
                    .source(gc.source().sourceName()).build());
        }
    }

    /** {@code [B} → {@code byte[]}, {@code [Ljava.lang.String;} → {@code java.lang.String[]}; other names as they are. */
    static String javaName(String jvm) {
        int dims = 0;
        while (dims < jvm.length() && jvm.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0 || dims == jvm.length()) {
            return jvm;
        }
        String rest = jvm.substring(dims);
        String base = switch (rest) {
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            case "Z" -> "boolean";
            default -> rest.startsWith("L") && rest.endsWith(";") ? rest.substring(1, rest.length() - 1) : null;
        };
        return base == null ? jvm : base + "[]".repeat(dims);
    }
}
