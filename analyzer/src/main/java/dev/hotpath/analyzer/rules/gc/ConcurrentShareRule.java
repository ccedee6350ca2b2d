package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.jfr.internal.Stats;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.Arrays;
import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.mib;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code gc.concurrent-share}: a concurrent collector (G1's marking, ZGC, Shenandoah) whose concurrent phases ran for
 * most of the run. Such a collector must finish each cycle before the free heap runs out; when cycles follow each other
 * back to back it is only just keeping up: the headroom above the live set is too small for the allocation rate, its
 * threads take a core away from the application all the time, and a burst of allocation ends in the collector's
 * failure mode (G1: to-space exhausted and full GCs; ZGC: allocation stalls; Shenandoah: degenerated and full
 * cycles). No pause shows this before it happens, which is why it is its own rule.
 *
 * <p>Needs: {@link GcSummary}'s concurrent phases with a clock (GC log with a time decoration, or JFR). The share is
 * the union of the phases' intervals (nested and overlapping phases counted once) over the time the application ran:
 * the run's length less its stop-the-world pauses, so that a collector already failing into long pauses does not
 * look less busy.
 *
 * <p>Evidence: sharePercent, busyMs, durationMs, runningMs, cycles, longestStretchMs, topPhase, heapAfterGcMedianMb,
 * heapMaxMb, allocationMbPerSecond (between stop-the-world pauses, when known).
 */
public final class ConcurrentShareRule implements Rule {
    public static final String ID = "gc.concurrent-share";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("warningPercent", 50, "percent", "share of the application's running time with the collector's concurrent phases running"),
            new Threshold("criticalPercent", 90, "percent", "share at which the collector never rests"),
            new Threshold("minCycles", 3, "count", "concurrent collections before the rule speaks"),
            new Threshold("minSeconds", 5, "s", "runs shorter than this are not judged (start-up warm-up cycles)"));

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
        return "Share of the application's running time during which the collector's concurrent phases ran (a collector"
                + " that barely keeps up)";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (GcSummary gc : ctx.summaries(GcSummary.class)) {
            long busy = gc.concurrentBusyOutsidePausesMs();
            long duration = gc.durationMs();
            if (busy < 0 || gc.concurrentCycles() < ctx.threshold("minCycles")
                    || duration < ctx.threshold("minSeconds") * 1000 || duration <= 0) {
                continue;
            }
            // the share of the time the application ran: stop-the-world time (a degenerated cycle, a full GC) is
            // neither the application's nor concurrent work, and would otherwise hide a collector that has started
            // to fail behind a lower share
            long running = Math.max(1, duration - gc.totalPauseNanos() / 1_000_000);
            double share = round1(100.0 * Math.min(busy, running) / running);
            if (share < ctx.threshold("warningPercent")) {
                continue;
            }
            Severity sev = share >= ctx.threshold("criticalPercent") ? Severity.CRITICAL : Severity.WARNING;
            ConcurrentPhase top = gc.concurrentPhases().get(0);
            String who = collectorName(gc.gcName());
            StringBuilder text = new StringBuilder();
            text.append("Concurrent phases ran for ").append(fmt(round1(busy / 1000.0))).append(" s of the ")
                    .append(fmt(round1(running / 1000.0))).append(" s the application ran (").append(fmt(share))
                    .append('%');
            if (duration - running >= duration / 100) {
                text.append("; the run took ").append(fmt(round1(duration / 1000.0))).append(" s with its pauses");
            }
            text.append("), in ")
                    .append(gc.concurrentCycles()).append(" collections; the longest stretch without a break was ")
                    .append(fmt(round1(gc.concurrentLongestStretchMs() / 1000.0))).append(" s. Most concurrent time: ")
                    .append(top.name()).append(" (").append(top.count()).append(" × p50 ")
                    .append(fmt(Stats.ms(top.p50Nanos()))).append(" ms, max ").append(fmt(Stats.ms(top.maxNanos())))
                    .append(" ms).");
            long[] after = gc.heapAfterBytes();
            double medianMb = Double.NaN;
            if (after.length > 0) {
                long[] sorted = after.clone();
                Arrays.sort(sorted);
                medianMb = round1(mib(sorted[sorted.length / 2]));
                text.append(" Heap after GC: median ").append(fmt(medianMb)).append(" MB");
                if (gc.heapMaxBytes() > 0) {
                    text.append(" of ").append(fmt(round1(mib(gc.heapMaxBytes())))).append(" MB max (")
                            .append(fmt(round1(100.0 * sorted[sorted.length / 2] / gc.heapMaxBytes()))).append("%)");
                }
                text.append('.');
            }
            double alloc = gc.allocationBytesPerSecondFromHeap();
            if (!Double.isNaN(alloc)) {
                text.append(" The application allocated ").append(fmt(round1(mib(alloc))))
                        .append(" MB/s between pauses.");
            }
            Finding.Builder f = Finding.builder(ID, Category.GC).severity(sev)
                    .title(who + "'s concurrent phases ran " + fmt(share) + "% of the time the application ran")
                    .summary(text.toString())
                    .evidence("sharePercent", share)
                    .evidence("busyMs", busy)
                    .evidence("durationMs", duration)
                    .evidence("runningMs", running)
                    .evidence("cycles", gc.concurrentCycles())
                    .evidence("longestStretchMs", gc.concurrentLongestStretchMs())
                    .evidence("topPhase", top.name())
                    .evidence("gc", gc.gcName());
            if (!Double.isNaN(medianMb)) {
                f.evidence("heapAfterGcMedianMb", medianMb);
            }
            if (gc.heapMaxBytes() > 0) {
                f.evidence("heapMaxMb", round1(mib(gc.heapMaxBytes())));
            }
            if (!Double.isNaN(alloc)) {
                f.evidence("allocationMbPerSecond", round1(mib(alloc)));
            }
            ctx.emit(f.evidence("thresholdPercent", sev == Severity.CRITICAL ? ctx.threshold("criticalPercent")
                            : ctx.threshold("warningPercent"))
                    .evidence("timeRange", LongPausesRule.timeRange(gc))
                    .recommendation(advice(gc.gcName()))
                    .source(gc.source().sourceName()).build());
        }
    }

    private static String collectorName(String gc) {
        return switch (gc) {
            case "Z" -> "ZGC";
            case "unknown" -> "The collector";
            default -> gc;
        };
    }

    static String advice(String gc) {
        String failure = switch (gc) {
            case "G1" -> "to-space exhaustion and full GCs";
            case "Z" -> "allocation stalls (threads waiting for memory)";
            case "Shenandoah" -> "degenerated and full cycles";
            default -> "stop-the-world collections";
        };
        String trigger = gc.equals("G1")
                ? " G1 starts marking when the old generation passes its initiating occupancy"
                + " (-XX:InitiatingHeapOccupancyPercent, adapted at run time); with the live set above it, marking starts"
                + " again soon after it ends."
                : "";
        return "The collector is only just keeping up: its cycles fill most of the run, so the heap's headroom above the"
                + " live set is too small for the allocation rate." + trigger + " Give the heap more room"
                + " (-Xmx), or shrink the live set (see the heap findings) or the allocation rate (see the allocation"
                + " findings); with idle cores, more concurrent GC threads (-XX:ConcGCThreads) finish cycles sooner."
                + " Left as it is, a burst of allocation ends in " + failure + ".";
    }
}
