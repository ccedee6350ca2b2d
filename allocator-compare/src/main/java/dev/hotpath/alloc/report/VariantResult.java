package dev.hotpath.alloc.report;

import dev.hotpath.alloc.run.RunResult;

import java.util.List;
import java.util.Map;

/** One variant's measured runs, with what was preloaded and set. */
public record VariantResult(String name, String library, Map<String, String> env, List<RunResult> runs) {
    public VariantResult {
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        runs = List.copyOf(runs);
    }

    public long failedRuns() {
        return runs.stream().filter(r -> !r.usable()).count();
    }
}
