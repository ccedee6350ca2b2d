package dev.hotpath.alloc;

import dev.hotpath.alloc.catalog.ResolvedVariant;
import dev.hotpath.alloc.report.AllocatorFindings;
import dev.hotpath.alloc.report.ComparisonReport;
import dev.hotpath.alloc.report.VariantResult;
import dev.hotpath.alloc.run.ExperimentRunner;
import dev.hotpath.alloc.run.Metric;
import dev.hotpath.alloc.run.MetricPattern;
import dev.hotpath.alloc.run.RunResult;
import dev.hotpath.alloc.run.WorkloadRunner;
import dev.hotpath.alloc.stats.Comparison;
import dev.hotpath.alloc.stats.Comparisons;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An allocator A/B experiment end to end: run the command under each variant (interleaved, randomised, with warm-up),
 * summarise, compare against the first variant, and turn the result into a report, findings and a workspace run.
 */
public final class AllocatorExperiment {
    /** RSS sampling period; short enough for sub-second workloads, long enough to cost little on a shared machine. */
    public static final long SAMPLE_MILLIS = 50;

    /**
     * @param duration       stop each run after this long (null: run to completion)
     * @param allocatorStats ask jemalloc, tcmalloc or mimalloc for their statistics at exit
     * @param scratch        where per-run stdout/stderr go while the run is measured (deleted after each run)
     */
    public record Settings(String command, int runs, int warmup, Duration duration, List<MetricPattern> metrics,
                           long seed, boolean allocatorStats, Path scratch, double alpha) {
        public Settings {
            metrics = List.copyOf(metrics);
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("--alpha must be between 0 and 1, got " + alpha);
            }
        }

        public Settings(String command, int runs, int warmup, Duration duration, List<MetricPattern> metrics,
                        long seed, boolean allocatorStats, Path scratch) {
            this(command, runs, warmup, duration, metrics, seed, allocatorStats, scratch, Comparisons.ALPHA);
        }
    }

    private AllocatorExperiment() {
    }

    public static ComparisonReport run(Settings s, List<ResolvedVariant> variants, ExperimentRunner.Listener listener)
            throws IOException, InterruptedException {
        WorkloadRunner runner = new WorkloadRunner(s.command(), s.scratch(), s.duration(), Duration.ofSeconds(5),
                s.metrics(), SAMPLE_MILLIS, s.allocatorStats());
        Map<String, List<RunResult>> results = new ExperimentRunner(runner, s.runs(), s.warmup(), s.seed())
                .run(variants, listener);
        List<Metric> metrics = Metric.compared(s.metrics());
        List<Comparison> comparisons = Comparisons.compare(results, metrics, s.seed(), s.alpha());
        List<VariantResult> vrs = new ArrayList<>();
        for (ResolvedVariant v : variants) {
            vrs.add(new VariantResult(v.name(), v.library() == null ? null : v.library().toString(), runner.commandEnv(v),
                    results.get(v.name())));
        }
        return new ComparisonReport(s.command(), s.seed(), s.alpha(), s.runs(), s.warmup(),
                s.duration() == null ? null : s.duration().toMillis() / 1000.0, vrs, metrics, comparisons,
                notes(s, vrs));
    }

    private static List<String> notes(Settings s, List<VariantResult> vrs) {
        List<String> notes = new ArrayList<>();
        for (VariantResult v : vrs) {
            if (v.failedRuns() > 0) {
                notes.add(v.failedRuns() + " of " + v.runs().size() + " runs of " + v.name()
                        + " failed and are left out of the statistics");
            }
            long noRss = v.runs().stream().filter(r -> r.usable() && r.peakRssBytes() < 0).count();
            if (noRss > 0) {
                notes.add(noRss + " runs of " + v.name() + " ended before the first RSS sample (" + SAMPLE_MILLIS
                        + " ms); their RSS is unknown");
            }
        }
        for (MetricPattern m : s.metrics()) {
            boolean seen = vrs.stream().flatMap(v -> v.runs().stream()).anyMatch(r -> r.metrics().containsKey(m.name()));
            if (!seen) {
                notes.add("--metric " + m.name() + " never matched the command's output (" + m.describe() + ")");
            }
        }
        notes.add("peak RSS: the largest of the process tree's RSS sampled every " + SAMPLE_MILLIS
                + " ms and any single process's VmHWM; CPU time and page faults cover every process the command waited for");
        return notes;
    }

    /** The experiment as a workspace run: its findings, and the comparison JSON as the {@code allocator-comparison} summary. */
    public static Run toRun(ComparisonReport report, String name, Instant createdAt) {
        String runName = name != null ? name : "allocators " + createdAt;
        return new Run(null, runName, createdAt, List.of(), AllocatorFindings.from(report),
                Map.of(ArtifactType.ALLOCATOR_COMPARISON.id(), report.toJson()), report.notes());
    }
}
