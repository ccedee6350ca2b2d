package dev.hotpath.alloc.run;

import dev.hotpath.alloc.catalog.ResolvedVariant;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs every variant {@code runs} times, in rounds. Each round runs each variant once in an order shuffled with a seeded
 * generator: slow drift of the machine (thermal state, page cache, a neighbour's build) then spreads over all variants
 * instead of landing on whichever ran last, and the same seed reproduces the same schedule. Warm-up rounds (same
 * shuffling) come first and are discarded: they fill the page cache with the command's binaries and libraries.
 */
public final class ExperimentRunner {
    /** Progress callback, e.g. the CLI's "round 3/8: jemalloc" line on stderr. */
    public interface Listener {
        void runFinished(String variant, int round, boolean warmup, RunResult result);
    }

    private final WorkloadRunner runner;
    private final int runs;
    private final int warmup;
    private final long seed;

    public ExperimentRunner(WorkloadRunner runner, int runs, int warmup, long seed) {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        this.runner = runner;
        this.runs = runs;
        this.warmup = warmup;
        this.seed = seed;
    }

    /** Results per variant name in the order given (the first variant is the baseline), runs in round order. */
    public Map<String, List<RunResult>> run(List<ResolvedVariant> variants, Listener listener)
            throws IOException, InterruptedException {
        Random random = new Random(seed);
        Map<String, List<RunResult>> results = new LinkedHashMap<>();
        for (ResolvedVariant v : variants) {
            results.put(v.name(), new ArrayList<>());
        }
        for (int round = -warmup; round < runs; round++) {
            List<ResolvedVariant> order = new ArrayList<>(variants);
            Collections.shuffle(order, random);
            for (int pos = 0; pos < order.size(); pos++) {
                ResolvedVariant v = order.get(pos);
                RunResult r = runner.run(v, Math.max(round, 0), pos);
                boolean isWarmup = round < 0;
                if (!isWarmup) {
                    results.get(v.name()).add(r);
                }
                if (listener != null) {
                    listener.runFinished(v.name(), round, isWarmup, r);
                }
            }
        }
        return results;
    }

    public WorkloadRunner runner() {
        return runner;
    }
}
