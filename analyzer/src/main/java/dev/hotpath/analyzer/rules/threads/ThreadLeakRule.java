package dev.hotpath.analyzer.rules.threads;

import dev.hotpath.analyzer.jfr.internal.Stats;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code threads.leak}: the live thread count keeps rising — threads are started and never end.
 *
 * <p>Each thread pins a stack (1 MB reserved by default), kernel state and whatever its locals hold, and the
 * count has hard limits (ulimit -u, cgroup pids.max). Score: Theil–Sen slope of {@code jdk.JavaThreadStatistics}'s
 * active count (robust to pools that breathe), plus the net growth over the recording. The culprit is the name
 * pattern of the threads started during the recording and still alive at its end. Growth must go on in the later
 * half of the recording (its slope there at least {@code minSlopePerMinute}): pools that fill at start-up or when
 * load begins and then stay are not a leak.
 *
 * <p>Evidence: slopePerMinute, netGrowth, first/last/peak count, pattern, aliveWithPattern, parent.
 */
public final class ThreadLeakRule implements Rule {
    public static final String ID = "threads.leak";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("minNetGrowth", 20, "threads", "net growth of live threads over the recording"),
            new Threshold("minSlopePerMinute", 10, "threads/min", "sustained growth rate"),
            new Threshold("criticalThreads", 2000, "threads", "live threads near typical per-process limits"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.THREADS;
    }

    @Override
    public String description() {
        return "Live thread count keeps growing (thread leak), naming the leaking thread pattern";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    /** Theil–Sen slope (per ms) of the samples in the later half of the time span; NaN with fewer than 3. */
    static double lateSlope(long[] times, long[] counts) {
        long mid = times[0] + (times[times.length - 1] - times[0]) / 2;
        int from = 0;
        while (from < times.length && times[from] < mid) {
            from++;
        }
        if (times.length - from < 3) {
            return Double.NaN;
        }
        return Stats.theilSen(java.util.Arrays.copyOfRange(times, from, times.length),
                java.util.Arrays.copyOfRange(counts, from, counts.length));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (ThreadSummary t : ctx.summaries(ThreadSummary.class)) {
            long[] counts = t.activeCounts();
            if (counts.length < 3) {
                continue;
            }
            long net = counts[counts.length - 1] - counts[0];
            double slope = round1(Stats.theilSen(t.countTimeMs(), counts) * 60_000);
            if (net < ctx.threshold("minNetGrowth") || !(slope >= ctx.threshold("minSlopePerMinute"))) {
                continue;
            }
            // Pools fill at start-up and when load begins, then stay: a leak still grows in the later half.
            double late = round1(lateSlope(t.countTimeMs(), counts) * 60_000);
            if (!(late >= ctx.threshold("minSlopePerMinute"))) {
                continue;
            }
            long peak = 0;
            for (long c : counts) {
                peak = Math.max(peak, c);
            }
            ThreadSummary.Pattern p = t.aliveByPattern().isEmpty() ? null : t.aliveByPattern().get(0);
            String culprit = p == null ? "" : " " + p.alive() + " threads named " + p.pattern()
                    + (p.parent().isEmpty() ? "" : " (started by " + p.parent() + ")")
                    + " were started during the recording and are still alive.";
            Severity sev = peak >= ctx.threshold("criticalThreads") ? Severity.CRITICAL : Severity.WARNING;
            double seconds = round1((t.countTimeMs()[counts.length - 1] - t.countTimeMs()[0]) / 1000.0);
            ctx.emit(Finding.builder(ID, Category.THREADS).severity(sev)
                    .title("Live threads grow " + fmt(slope) + "/min" + (p == null ? "" : " (" + p.pattern() + ")"))
                    .summary("Live threads went from " + counts[0] + " to " + counts[counts.length - 1] + " in "
                            + fmt(seconds) + " s (" + fmt(slope) + " per minute, peak " + peak + ")." + culprit)
                    .evidence("slopePerMinute", slope)
                    .evidence("netGrowth", net)
                    .evidence("seconds", seconds)
                    .evidence("firstCount", counts[0])
                    .evidence("lastCount", counts[counts.length - 1])
                    .evidence("peakCount", peak)
                    .evidence("pattern", p == null ? "" : p.pattern())
                    .evidence("aliveWithPattern", p == null ? 0L : p.alive())
                    .evidence("parent", p == null ? "" : p.parent())
                    .recommendation("Find where " + (p == null ? "these threads" : "'" + p.pattern() + "' threads")
                            + " are created" + (p == null || p.parent().isEmpty() ? "" : " (by " + p.parent() + ")")
                            + ": reuse one bounded executor instead of creating threads or pools per task, and "
                            + "shut down every executor you create.")
                    .source(t.source().sourceName()).build());
        }
    }
}
