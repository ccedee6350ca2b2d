package dev.hotpath.alloc.run;

import java.util.Map;

/**
 * What one run of the command under one variant measured. Sizes in bytes, times in seconds; {@code -1} (or NaN for
 * seconds) marks a value that could not be measured (e.g. no RSS sample for a command that lived under 50 ms).
 *
 * @param round             0-based measured round (warm-up runs are not kept)
 * @param position          the variant's 0-based slot in that round's randomised order
 * @param stoppedByDuration true when {@code --duration} ended the run (its exit code is then the signal's)
 * @param metrics           the workload's own metrics from {@code --metric}; a pattern that never matched is absent
 * @param allocatorStats    the allocator's own statistics at exit in bytes (jemalloc, tcmalloc, mimalloc), or empty
 * @param rssTimeline       pairs of (milliseconds since start, tree RSS in kB)
 * @param stderrTail        the last lines of stderr (the allocator's statistics removed), for failed runs and notes
 */
public record RunResult(int round, int position, long peakRssBytes, long endRssBytes, double cpuUserSeconds,
                        double cpuSysSeconds, double wallSeconds, int exitCode, boolean stoppedByDuration,
                        long minorFaults, long majorFaults, Map<String, Double> metrics, Map<String, Long> allocatorStats,
                        long[][] rssTimeline, String stderrTail) {
    public RunResult {
        // insertion order is the order of --metric and of jemalloc's line; reports print them that way
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        allocatorStats = allocatorStats == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(allocatorStats));
    }

    /** User + system time, rounded to the 10 ms tick the kernel counts in (so 0.07 + 0.1 prints as 0.17). */
    public double cpuSeconds() {
        return Double.isNaN(cpuUserSeconds) || Double.isNaN(cpuSysSeconds) ? Double.NaN
                : Math.round((cpuUserSeconds + cpuSysSeconds) * 100) / 100.0;
    }

    /** A run counts towards the statistics when the command succeeded or was stopped on purpose by {@code --duration}. */
    public boolean usable() {
        return exitCode == 0 || stoppedByDuration;
    }
}
