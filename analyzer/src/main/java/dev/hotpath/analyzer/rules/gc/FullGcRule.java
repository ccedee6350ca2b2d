package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.ms;

/**
 * {@code gc.full-gcs}: full (whole-heap, stop-the-world) collections not asked for by {@code System.gc()}.
 *
 * <p>Under G1 a full GC is a fallback: concurrent marking lost the race with allocation, so any one is a warning.
 * Under Parallel and Serial a full GC is the ordinary old-generation collection, so only their rate counts.
 * Collections a tool forced (a heap dump, a class histogram, a JVMTI or diagnostic command: see
 * {@link #isToolInduced}) say nothing about the application and are left out; they are reported once per recording as
 * info so the reader knows the pauses were seen and why they were not counted.
 * Needs: {@link GcSummary}. Evidence: collector, cause, count, perMinute, totalPauseMs, maxPauseMs, toolInduced,
 * excludedToolInducedCount, excludedToolInducedCauses.
 */
public final class FullGcRule implements Rule {
    public static final String ID = "gc.full-gcs";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("concurrentGcCount", 1, "count",
                    "full GCs under G1/ZGC/Shenandoah (each one means concurrent collection failed)"),
            new Threshold("throughputGcPerMinute", 2, "per minute",
                    "full GCs per minute under Parallel/Serial above which the old generation is too small"),
            new Threshold("criticalPerMinute", 10, "per minute", "full GCs per minute that make the JVM GC-bound"));

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
        return "Full stop-the-world collections (other than System.gc())";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    /**
     * HotSpot GC causes (gcCause.cpp) raised by tooling rather than by the application's allocation: heap dumps
     * (jmap, jcmd GC.heap_dump, HotSpotDiagnosticMXBean), heap inspection (class histograms, JFR's ObjectCount),
     * JVMTI ForceGarbageCollection, jcmd GC.run ("Diagnostic Command") and WhiteBox test hooks.
     */
    static boolean isToolInduced(String cause) {
        if (cause == null) {
            return false;
        }
        return cause.startsWith("Heap Dump Initiated") || cause.startsWith("Heap Inspection Initiated")
                || cause.startsWith("JvmtiEnv ForceGarbageCollection") || cause.equals("Diagnostic Command")
                || cause.startsWith("WhiteBox Initiated");
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (GcSummary gc : ctx.summaries(GcSummary.class)) {
            boolean throughput = "Parallel".equals(gc.gcName()) || "Serial".equals(gc.gcName());
            long toolCount = 0;
            long toolNanos = 0;
            java.util.Set<String> toolCauses = new java.util.TreeSet<>();
            for (PauseStats p : gc.pauses()) {
                if (GcSummaryBuilder.isFull(p.collector()) && isToolInduced(p.cause())) {
                    toolCount += p.count();
                    toolNanos += p.totalNanos();
                    toolCauses.add(p.cause());
                }
            }
            for (PauseStats p : gc.pauses()) {
                if (!GcSummaryBuilder.isFull(p.collector()) || "System.gc()".equals(p.cause())
                        || isToolInduced(p.cause())) {
                    continue;
                }
                double perMin = GcEventRules.perMinute(p.count(), gc.durationMs());
                boolean fire = throughput ? perMin >= ctx.threshold("throughputGcPerMinute")
                        : p.count() >= ctx.threshold("concurrentGcCount");
                if (!fire) {
                    continue;
                }
                Severity sev = perMin >= ctx.threshold("criticalPerMinute") ? Severity.CRITICAL : Severity.WARNING;
                ctx.emit(Finding.builder(ID, Category.GC).severity(sev)
                        .title(p.count() + " full GCs (" + p.collector() + ", " + p.cause() + ")")
                        .summary(p.count() + " " + p.collector() + " full collections caused by '" + p.cause()
                                + "' (" + fmt(perMin) + " per minute) stopped the application for "
                                + fmt(ms(p.totalNanos())) + " ms, the longest " + fmt(ms(p.maxNanos())) + " ms.")
                        .evidence("collector", p.collector())
                        .evidence("cause", p.cause())
                        .evidence("count", p.count())
                        .evidence("perMinute", perMin)
                        .evidence("totalPauseMs", ms(p.totalNanos()))
                        .evidence("maxPauseMs", ms(p.maxNanos()))
                        .evidence("timeRange", LongPausesRule.timeRange(gc))
                        .evidence("toolInduced", false)
                        .evidence("excludedToolInducedCount", toolCount)
                        .recommendation(throughput
                                ? "The old generation fills too often: raise -Xmx or lower the live set "
                                + "(see gc.live-set-growth), or use G1 for a service that must stay responsive."
                                : "Start concurrent marking earlier (-XX:InitiatingHeapOccupancyPercent lower, or "
                                + "-XX:G1ReservePercent higher), give the heap headroom over the live set, and check "
                                + "gc.live-set-growth and gc.humongous for the usual causes.")
                        .source(gc.source().sourceName()).build());
            }
            if (toolCount > 0) {
                String causes = String.join(", ", toolCauses);
                ctx.emit(Finding.builder(ID, Category.GC).severity(Severity.INFO)
                        .title(toolCount + " full GCs forced by tooling (" + causes + ")")
                        .summary(toolCount + " full collections were caused by '" + causes + "' (" 
                                + fmt(ms(toolNanos)) + " ms of pauses): a tool such as a heap dump or class histogram "
                                + "asked for them, not the application's allocation, so they are not counted as "
                                + "full-GC trouble.")
                        .evidence("toolInduced", true)
                        .evidence("count", toolCount)
                        .evidence("excludedToolInducedCount", toolCount)
                        .evidence("excludedToolInducedCauses", causes)
                        .evidence("totalPauseMs", ms(toolNanos))
                        .recommendation("Nothing to change in the application; take heap dumps outside latency-"
                                + "sensitive windows, since each one stops the JVM for a whole-heap collection.")
                        .source(gc.source().sourceName()).build());
            }
        }
    }
}
