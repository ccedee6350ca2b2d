package dev.hotpath.cli.record;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What to record, after defaults are applied (no evidence flag at all means JFR + NMT + GC log; the RSS timeline is
 * always on).
 *
 * @param duration       stop the JVM after this long, or {@code null} to wait for it to exit
 * @param asyncProfiler  subset of {@code cpu, alloc, lock, wall, nativemem}; empty for none
 * @param agentJar       the hotpath agent jar, or {@code null} without {@code --agent}
 * @param nmtInterval    time between NMT summaries
 * @param rssInterval    time between RSS samples
 * @param stopTimeout    how long to wait after SIGTERM before killing
 * @param progress       print a progress line (only when attached to a terminal)
 * @param appLog         file for the program's stdout and stderr, or {@code null} to leave them on the terminal
 */
public record RecordOptions(Path out, Duration duration, boolean jfr, boolean nmt, int heapDumps, Path agentJar,
                            Set<String> asyncProfiler, boolean jemalloc, boolean gcLog, Duration nmtInterval,
                            Duration rssInterval, Duration stopTimeout, boolean progress, Path appLog,
                            List<String> command) {
    public static final Set<String> PROFILER_EVENTS = Set.of("cpu", "alloc", "lock", "wall", "nativemem");
}
