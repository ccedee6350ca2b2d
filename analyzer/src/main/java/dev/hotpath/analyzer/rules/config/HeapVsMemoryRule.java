package dev.hotpath.analyzer.rules.config;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.mib;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code config.heap-vs-memory}: the maximum heap leaves too little of the machine's (or container's) memory for
 * everything else the JVM needs off-heap — metaspace, code cache, thread stacks, direct buffers, GC structures, the
 * allocator's own overhead — which typically take a few hundred MB and grow with threads and buffers. Past the limit
 * the kernel's OOM killer (or the cgroup) ends the process without a Java stack trace.
 * Needs: {@link ConfigSummary}. Evidence: heapMaxMb, availableMb, heapSharePercent, limitSource.
 */
public final class HeapVsMemoryRule implements Rule {
    public static final String ID = "config.heap-vs-memory";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("warningPercent", 80, "percent", "max heap as a share of available memory"),
            new Threshold("criticalPercent", 95, "percent", "max heap share that leaves no room for native memory"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.CONFIG;
    }

    @Override
    public String description() {
        return "Maximum heap too close to machine/container memory (no room for native memory)";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (ConfigSummary c : ctx.summaries(ConfigSummary.class)) {
            long avail = c.availableMemoryBytes();
            if (avail <= 0 || c.heapMaxBytes() <= 0) {
                continue;
            }
            double share = round1(100.0 * c.heapMaxBytes() / avail);
            if (share < ctx.threshold("warningPercent")) {
                continue;
            }
            String limit = c.containerMemoryLimitBytes() > 0 ? "container memory limit" : "physical memory";
            Severity sev = share >= ctx.threshold("criticalPercent") ? Severity.CRITICAL : Severity.WARNING;
            ctx.emit(Finding.builder(ID, Category.CONFIG).severity(sev)
                    .title("Max heap is " + fmt(share) + "% of the " + limit)
                    .summary("-Xmx allows " + fmt(mib(c.heapMaxBytes())) + " MB of heap out of " + fmt(mib(avail))
                            + " MB of " + limit + " (" + fmt(share) + "%), leaving too little for metaspace, thread "
                            + "stacks, direct buffers and GC structures.")
                    .evidence("heapMaxMb", mib(c.heapMaxBytes()))
                    .evidence("availableMb", mib(avail))
                    .evidence("heapSharePercent", share)
                    .evidence("limitSource", limit)
                    .recommendation("Keep the heap to about 75% of the " + limit + " (-XX:MaxRAMPercentage=75 in a "
                            + "container) and measure native memory with NMT (-XX:NativeMemoryTracking=summary).")
                    .source(c.source().sourceName()).build());
        }
    }
}
