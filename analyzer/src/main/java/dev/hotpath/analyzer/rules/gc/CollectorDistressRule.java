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
 * The collector's own distress signals, one rule id each (they share the mechanics: a count, a rate, a fix):
 * {@code gc.humongous} (G1 collections forced by humongous allocations), {@code gc.evacuation-failure} (G1 ran out
 * of space to copy survivors into: to-space exhausted) and {@code gc.allocation-stalls} (ZGC made threads wait
 * for memory) and {@code gc.degenerated-cycles} (Shenandoah finished a cycle stop-the-world). Needs:
 * {@link GcSummary}. Evidence: count, perMinute, and the stall time for stalls.
 */
public abstract class CollectorDistressRule implements Rule {
    private final String id;
    private final String description;

    CollectorDistressRule(String id, String description) {
        this.id = id;
        this.description = description;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Category category() {
        return Category.GC;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minCount", 1, "count", "occurrences before the rule speaks"),
                new Threshold("criticalPerMinute", 6, "per minute", "rate at which the signal is critical"));
    }

    abstract long count(GcSummary gc);

    abstract String what(long count, double perMinute, GcEvents e);

    abstract String advice();

    void extra(Finding.Builder f, GcEvents e) {
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (GcSummary gc : ctx.summaries(GcSummary.class)) {
            long n = count(gc);
            if (n < ctx.threshold("minCount") || n == 0) {
                continue;
            }
            double perMin = GcEventRules.perMinute(n, gc.durationMs());
            Severity sev = perMin >= ctx.threshold("criticalPerMinute") ? Severity.CRITICAL : Severity.WARNING;
            String text = what(n, perMin, gc.events());
            Finding.Builder f = Finding.builder(id, Category.GC).severity(sev).title(text)
                    .summary(text + " under " + gc.gcName() + ", " + fmt(perMin) + " per minute.")
                    .evidence("count", n).evidence("perMinute", perMin).evidence("gc", gc.gcName());
            extra(f, gc.events());
            ctx.emit(f.evidence("timeRange", LongPausesRule.timeRange(gc)).recommendation(advice())
                    .source(gc.source().sourceName()).build());
        }
    }

    /** {@code gc.humongous}. */
    public static final class Humongous extends CollectorDistressRule {
        public Humongous() {
            super("gc.humongous", "G1 collections forced by humongous allocations (objects of half a region or more)");
        }

        @Override
        long count(GcSummary gc) {
            return gc.events().humongousAllocations();
        }

        @Override
        String what(long count, double perMinute, GcEvents e) {
            return count + " G1 collections were forced by humongous allocations";
        }

        @Override
        String advice() {
            return "Objects of half a G1 region or more go straight to the old generation: raise -XX:G1HeapRegionSize "
                    + "above twice the largest common buffer, or reuse/chunk the large arrays at the top allocation sites.";
        }
    }

    /** {@code gc.evacuation-failure}. */
    public static final class EvacuationFailure extends CollectorDistressRule {
        public EvacuationFailure() {
            super("gc.evacuation-failure", "G1 evacuation failures (to-space exhausted)");
        }

        @Override
        long count(GcSummary gc) {
            return gc.events().evacuationFailures();
        }

        @Override
        String what(long count, double perMinute, GcEvents e) {
            return count + " G1 evacuation failures (to-space exhausted)";
        }

        @Override
        String advice() {
            return "G1 had no free regions to copy survivors into, which makes pauses long and often precedes a full "
                    + "GC: give the heap headroom (-Xmx, -XX:G1ReservePercent) and lower the live set or allocation rate.";
        }
    }

    /** {@code gc.allocation-stalls}. */
    public static final class AllocationStalls extends CollectorDistressRule {
        public AllocationStalls() {
            super("gc.allocation-stalls", "ZGC allocation stalls (threads waiting for the collector to free memory)");
        }

        @Override
        long count(GcSummary gc) {
            return gc.events().allocationStalls();
        }

        @Override
        String what(long count, double perMinute, GcEvents e) {
            return count + " allocation stalls held threads for " + fmt(ms(e.allocationStallNanos())) + " ms";
        }

        @Override
        void extra(Finding.Builder f, GcEvents e) {
            f.evidence("stallMs", ms(e.allocationStallNanos()));
        }

        @Override
        String advice() {
            return "ZGC could not reclaim memory as fast as the application allocated: raise -Xmx (ZGC needs headroom), "
                    + "add -XX:ConcGCThreads, or cut the allocation rate at its top sites.";
        }
    }

    /**
     * {@code gc.degenerated-cycles}: Shenandoah collections whose cause is an allocation failure. The log's "Pause
     * Degenerated GC" and JFR's Shenandoah collection with that cause are the same event: the concurrent cycle could
     * not finish before the free memory ran out, so the rest of it ran stop-the-world (a full GC if that failed too,
     * which {@code gc.full-gcs} reports).
     */
    public static final class DegeneratedCycles extends CollectorDistressRule {
        public DegeneratedCycles() {
            super("gc.degenerated-cycles", "Shenandoah degenerated cycles (the concurrent cycle finished stop-the-world)");
        }

        @Override
        long count(GcSummary gc) {
            long n = 0;
            for (PauseStats p : gc.pauses()) {
                if (p.collector().equals("Shenandoah") && p.cause().equals("Allocation Failure")) {
                    n += p.count();
                }
            }
            return n;
        }

        @Override
        String what(long count, double perMinute, GcEvents e) {
            return count + " Shenandoah cycles degenerated to stop-the-world (allocation failure)";
        }

        @Override
        String advice() {
            return "Shenandoah ran out of free memory before its concurrent cycle finished, so the application stopped "
                    + "for the rest of the cycle: give the heap more headroom (-Xmx), add -XX:ConcGCThreads, or cut "
                    + "the allocation rate at its top sites.";
        }
    }
}
