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

/**
 * {@code config.gc-vs-cores}: the collector or its thread count does not fit the CPUs the JVM may use.
 * Two cases: more parallel GC threads than available CPUs (the GC's workers time-slice against each other and the
 * application in every pause — typical when a container limits CPUs the JVM did not detect), and the single-threaded
 * Serial collector on a multi-CPU machine with a heap large enough for its pauses to matter.
 * Needs: {@link ConfigSummary}. Evidence: gc, parallelGcThreads, availableCpus, heapMaxMb.
 */
public final class GcVsCoresRule implements Rule {
    public static final String ID = "config.gc-vs-cores";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("serialHeapMb", 1024, "MB",
                    "heap above which the Serial collector's single-threaded pauses are long on a multi-CPU machine"));

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
        return "GC choice or GC thread count does not match the available CPUs";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (ConfigSummary c : ctx.summaries(ConfigSummary.class)) {
            long cpus = c.availableCpus();
            if (cpus <= 0) {
                continue;
            }
            Finding.Builder f = null;
            if (c.parallelGcThreads() > cpus) {
                f = Finding.builder(ID, Category.CONFIG).severity(Severity.WARNING)
                        .title(c.parallelGcThreads() + " parallel GC threads for " + cpus + " CPUs")
                        .summary(c.gc() + " runs " + c.parallelGcThreads() + " parallel GC threads but the JVM may use "
                                + cpus + " CPUs, so every pause time-slices its own workers.")
                        .recommendation("Set -XX:ParallelGCThreads=" + cpus + " (and -XX:ActiveProcessorCount if the "
                                + "JVM misreads the container's CPU limit).");
            } else if ("Serial".equals(c.gc()) && cpus > 1 && mib(c.heapMaxBytes()) >= ctx.threshold("serialHeapMb")) {
                f = Finding.builder(ID, Category.CONFIG).severity(Severity.WARNING)
                        .title("Serial GC on " + cpus + " CPUs with a " + fmt(mib(c.heapMaxBytes())) + " MB heap")
                        .summary("The Serial collector uses one thread for every pause although " + cpus
                                + " CPUs are available; with a " + fmt(mib(c.heapMaxBytes()))
                                + " MB heap its pauses are needlessly long.")
                        .recommendation("Use G1 (-XX:+UseG1GC), the default for server-class machines; the JVM "
                                + "picks Serial when it believes it has one CPU or under 1792 MB of memory.");
            }
            if (f != null) {
                ctx.emit(f.evidence("gc", c.gc()).evidence("parallelGcThreads", (long) c.parallelGcThreads())
                        .evidence("availableCpus", cpus).evidence("heapMaxMb", mib(c.heapMaxBytes()))
                        .source(c.source().sourceName()).build());
            }
        }
    }
}
