package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import dev.hotpath.analyzer.rules.cpu.CpuSummary;

import java.util.LinkedHashMap;

import java.util.List;
import java.util.Map;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.ms;

/**
 * {@code gc.long-pauses}: stop-the-world pauses long enough to break request latency.
 *
 * <p>Needs: {@link GcSummary} (JFR {@code jdk.GarbageCollection}, or a unified GC log). Score: the p99 pause of each
 * collector/cause (nearest rank, so with fewer than 100 collections it is the longest one) — every request in
 * flight during a pause waits for all of it, so the tail pause is what users feel. One finding per collector and cause
 * that crosses {@code warningPauseMs}.
 *
 * <p>A starved machine: a pause is wall time, and when the machine's CPUs are busy elsewhere the GC workers sit
 * runnable but not running, so the pause stretches without any GC cost behind it. The GC log's gc,cpu line tells
 * (GC CPU time per wall time of the long collections below {@code starvedCpuPerWall}: parallel workers on free CPUs
 * burn at least as much CPU as wall time); a JFR recording of the same process (same directory) borrows that figure,
 * and without a GC log a machine whose other processes used {@code starvedOthersPercent} of the CPU counts as starved.
 * A pause on a starved machine is reported as info, however long: its length is the machine's starvation (which
 * {@code cpu.machine-contention} reports), not the collector's work. So is a pause a tool forced (a heap dump, a
 * class histogram: {@link FullGcRule#isToolInduced}): it is the cost of the diagnosis, not of the application.
 *
 * <p>Evidence: collector, cause, count, totalPauseMs, p50/p90/p99/p999/maxPauseMs, the threshold crossed, time range,
 * gcCpuPerWall, machineOthersPercent, cpuStarved.
 */
public final class LongPausesRule implements Rule {
    public static final String ID = "gc.long-pauses";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("warningPauseMs", 200, "ms",
                    "p99 stop-the-world pause of a collector/cause above which requests visibly stall"),
            new Threshold("criticalPauseMs", 1000, "ms",
                    "p99 pause above which clients time out and cluster peers may declare the node dead"),
            new Threshold("starvedCpuPerWall", 0.8, "ratio",
                    "GC CPU time per pause wall time below which the GC workers were waiting for a CPU"),
            new Threshold("starvedOthersPercent", 50, "percent",
                    "machine CPU used by other processes that marks the run as starved when no GC log says more"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.GC;
    }

    @Override
    public String description() {
        return "GC pauses whose p99 (per collector and cause) exceeds a latency budget";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double warnMs = ctx.threshold("warningPauseMs");
        double critMs = ctx.threshold("criticalPauseMs");
        List<GcSummary> all = ctx.summaries(GcSummary.class);
        for (GcSummary gc : all) {
            double cpuPerWall = cpuPerWall(gc, all);
            double others = othersPercent(gc, ctx.summaries(CpuSummary.class));
            boolean starved = !Double.isNaN(cpuPerWall) ? cpuPerWall < ctx.threshold("starvedCpuPerWall")
                    : !Double.isNaN(others) && others >= ctx.threshold("starvedOthersPercent");
            for (PauseStats p : gc.pauses()) {
                double p99 = ms(p.p99Nanos());
                if (p99 < warnMs) {
                    continue;
                }
                boolean tool = FullGcRule.isToolInduced(p.cause());
                Severity sev = starved || tool ? Severity.INFO : p99 >= critMs ? Severity.CRITICAL : Severity.WARNING;
                double max = ms(p.maxNanos());
                double total = ms(p.totalNanos());
                double p50 = ms(p.p50Nanos());
                String title = p.collector() + " pauses (" + p.cause() + ") reach " + fmt(p99) + " ms at p99";
                String summary = p.count() + " " + p.collector() + " collections caused by '" + p.cause()
                        + "' stopped the application for " + fmt(total) + " ms in total; p50 " + fmt(p50)
                        + " ms, p99 " + fmt(p99) + " ms, max " + fmt(max) + " ms (threshold "
                        + fmt(p99 >= critMs ? critMs : warnMs) + " ms)."
                        + (tool ? " A tool forced these collections (" + p.cause() + "): the pause is the diagnosis's"
                        + " cost, not the application's." : "")
                        + (!starved ? "" : !Double.isNaN(cpuPerWall)
                        ? " The GC threads used only " + fmt(round2(cpuPerWall)) + " s of CPU per second of long "
                        + "collections: they waited for a CPU, so the length is the machine's starvation, not GC work."
                        : " Other processes used " + fmt(others) + "% of the machine's CPU: the pauses are inflated "
                        + "by CPU starvation.");
                Finding.Builder f = Finding.builder(ID, Category.GC).severity(sev).title(title).summary(summary)
                        .evidence("gc", gc.gcName())
                        .evidence("collector", p.collector())
                        .evidence("cause", p.cause())
                        .evidence("count", p.count())
                        .evidence("totalPauseMs", total)
                        .evidence("p50PauseMs", p50)
                        .evidence("p90PauseMs", ms(p.p90Nanos()))
                        .evidence("p99PauseMs", p99)
                        .evidence("p999PauseMs", ms(p.p999Nanos()))
                        .evidence("maxPauseMs", max)
                        .evidence("thresholdMs", p99 >= critMs ? critMs : warnMs)
                        .evidence("toolInduced", tool)
                        .evidence("timeRange", timeRange(gc))
                        .evidence("cpuStarved", starved)
                        .recommendation(tool ? "Take heap dumps and class histograms outside latency-critical windows; "
                                + "they stop the application for a full collection."
                                : starved
                                ? "Re-measure on a machine with CPUs to spare (dedicated CPUs, fewer neighbours) before "
                                + "tuning the collector; " + GcAdvice.forPauses(gc.gcName(), p.collector(), p.cause())
                                : GcAdvice.forPauses(gc.gcName(), p.collector(), p.cause()))
                        .source(gc.source().sourceName());
                if (!Double.isNaN(cpuPerWall)) {
                    f.evidence("gcCpuPerWall", round2(cpuPerWall));
                }
                if (!Double.isNaN(others)) {
                    f.evidence("machineOthersPercent", others);
                }
                ctx.emit(f.build());
            }
        }
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** This summary's GC CPU per wall time, or that of another summary (a GC log) of the same process directory. */
    static double cpuPerWall(GcSummary gc, List<GcSummary> all) {
        if (!Double.isNaN(gc.longCollectionCpuPerWall())) {
            return gc.longCollectionCpuPerWall();
        }
        java.nio.file.Path dir = gc.source().path() == null ? null : gc.source().path().toAbsolutePath().getParent();
        for (GcSummary other : all) {
            java.nio.file.Path od = other.source().path() == null ? null
                    : other.source().path().toAbsolutePath().getParent();
            if (other != gc && dir != null && dir.equals(od) && !Double.isNaN(other.longCollectionCpuPerWall())) {
                return other.longCollectionCpuPerWall();
            }
        }
        return Double.NaN;
    }

    /** Machine CPU used by other processes, from the CPU summary of the same artifact or directory; NaN if none. */
    static double othersPercent(GcSummary gc, List<CpuSummary> cpus) {
        java.nio.file.Path dir = gc.source().path() == null ? null : gc.source().path().toAbsolutePath().getParent();
        for (CpuSummary c : cpus) {
            java.nio.file.Path cd = c.source().path() == null ? null : c.source().path().toAbsolutePath().getParent();
            if (c.loadSamples() > 0 && (c.source().equals(gc.source()) || (dir != null && dir.equals(cd)))) {
                return Math.round(1000 * Math.max(0, c.machineAvg() - c.jvmAvg())) / 10.0;
            }
        }
        return Double.NaN;
    }

    static Map<String, Object> timeRange(GcSummary gc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startMs", gc.rangeStartMs());
        m.put("endMs", gc.rangeEndMs());
        m.put("durationMs", gc.durationMs());
        m.put("clock", gc.epochClock() ? "epoch" : "uptime");
        return m;
    }
}
