package dev.hotpath.alloc.run;

import dev.hotpath.alloc.catalog.ResolvedVariant;
import dev.hotpath.alloc.proc.ProcFs;
import dev.hotpath.alloc.proc.RssSampler;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command once under one variant and measures it.
 *
 * <p>The command runs inside a small {@code /bin/sh} wrapper that is itself <em>not</em> preloaded: it exports
 * {@code LD_PRELOAD} only for its children and {@code eval}s the command, so the command's processes are the wrapper's
 * direct children (an inner {@code sh -c} would linger in the tree after the workload exits and pass for its end RSS).
 * On exit (normal end, or an {@code exit N} inside the command) an EXIT trap copies the wrapper's own
 * {@code /proc/self/stat} to a file: by then the kernel has folded the waited-for tree's CPU time and page faults into
 * the wrapper's {@code cutime/cstime/cminflt/cmajflt} (proc(5) fields 16, 17, 11, 13) — the
 * {@code getrusage(RUSAGE_CHILDREN)} that Java cannot call. The trap uses only builtins ({@code read}, {@code printf})
 * so no extra child pollutes the numbers. A command that {@code exec}s replaces the wrapper; its CPU time and faults
 * are then unknown (NaN/-1). The wrapper's own RSS is excluded by {@link RssSampler}.
 *
 * <p>Allocator variables inherited from hotpath's own environment ({@code LD_PRELOAD}, {@code MALLOC_CONF}, ...) are
 * removed so that the baseline really is the baseline.
 */
public final class WorkloadRunner {
    /** Linux reports proc times in USER_HZ ticks, fixed at 100 on every architecture hotpath runs on. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final int TAIL_LINES = 20;
    private static final int TAIL_LINE_CHARS = 400;
    private static final List<String> CLEARED = List.of("LD_PRELOAD", "MALLOC_CONF", "_RJEM_MALLOC_CONF", "MALLOC_ARENA_MAX",
            "MALLOC_ARENA_TEST", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_MMAP_MAX_");
    static final String WRAPPER = String.join("\n",
            "__hp_f=$HOTPATH_STAT_FILE",
            "if [ -n \"$HOTPATH_PRELOAD\" ]; then LD_PRELOAD=$HOTPATH_PRELOAD; export LD_PRELOAD; fi",
            "unset HOTPATH_PRELOAD HOTPATH_STAT_FILE",
            "trap 'IFS= read -r __hp_s < /proc/$$/stat; printf \"%s\\n\" \"$__hp_s\" > \"$__hp_f\"' EXIT",
            "eval \"$1\"");

    private final String command;
    private final Path scratch;
    private final Duration duration;
    private final Duration grace;
    private final List<MetricPattern> metrics;
    private final long sampleMillis;
    private final boolean allocatorStats;

    /**
     * @param duration       stop the command after this long (SIGTERM to its processes, then SIGKILL after {@code grace});
     *                       {@code null} lets it run to completion
     * @param allocatorStats ask jemalloc, tcmalloc or mimalloc for their statistics at exit
     */
    public WorkloadRunner(String command, Path scratch, Duration duration, Duration grace, List<MetricPattern> metrics,
                          long sampleMillis, boolean allocatorStats) {
        this.command = command;
        this.scratch = scratch;
        this.duration = duration;
        this.grace = grace;
        this.metrics = List.copyOf(metrics);
        this.sampleMillis = sampleMillis;
        this.allocatorStats = allocatorStats;
    }

    /** The environment the command sees on top of the inherited one (what the report prints as the variant's env). */
    public Map<String, String> commandEnv(ResolvedVariant v) {
        Map<String, String> env = new LinkedHashMap<>();
        if (v.library() != null) {
            env.put("LD_PRELOAD", v.library().toString());
        }
        env.putAll(v.env());
        return env;
    }

    public RunResult run(ResolvedVariant variant, int round, int position) throws IOException, InterruptedException {
        String tag = variant.name() + "-" + round + "-" + position + "-" + System.nanoTime();
        Path out = scratch.resolve(tag + ".out");
        Path err = scratch.resolve(tag + ".err");
        Path stat = scratch.resolve(tag + ".stat");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", WRAPPER, "hotpath-run", command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        CLEARED.forEach(env::remove);
        env.putAll(variant.env());
        if (variant.library() != null) {
            env.put("HOTPATH_PRELOAD", variant.library().toString());
        }
        AllocatorStatsFormat statsFormat = allocatorStats ? AllocatorStatsFormat.forLibrary(variant.library()) : null;
        if (statsFormat != null) {
            statsFormat.addEnv(env);
        }
        env.put("HOTPATH_STAT_FILE", stat.toString());

        long t0 = System.nanoTime();
        Process p = pb.start();
        RssSampler sampler = new RssSampler(p.pid(), sampleMillis);
        sampler.start();
        // hotpath interrupted (Ctrl-C, SIGTERM): take the workload down with it rather than leave it running
        Thread reaper = new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }, "hotpath-alloc-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        boolean stopped = false;
        try {
            if (duration == null) {
                p.waitFor();
            } else if (!p.waitFor(duration.toNanos(), TimeUnit.NANOSECONDS)) {
                stopped = true;
                // SIGTERM the command's processes, not the wrapper: the wrapper must survive to record the CPU totals
                p.descendants().forEach(ProcessHandle::destroy);
                if (!p.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    if (!p.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                        p.destroyForcibly();
                        p.waitFor();
                    }
                }
            }
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            sampler.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs and kills what is left
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;

        double user = Double.NaN;
        double sys = Double.NaN;
        long minflt = -1;
        long majflt = -1;
        if (Files.exists(stat)) {
            String[] f = ProcFs.statFieldsFrom3(Files.readString(stat, StandardCharsets.US_ASCII).trim());
            if (ProcFs.field(f, 17) >= 0) {
                user = ProcFs.field(f, 16) / TICKS_PER_SECOND;
                sys = ProcFs.field(f, 17) / TICKS_PER_SECOND;
                minflt = ProcFs.field(f, 11);
                majflt = ProcFs.field(f, 13);
            }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Long> stats = new LinkedHashMap<>();
        scan(out, values, null, null, null);
        jsonMetrics(out, values);
        ArrayDeque<String> tail = new ArrayDeque<>();
        scan(err, values, tail, statsFormat, stats);
        long[] offsets = sampler.offsetsMillis();
        long[] rss = sampler.rssKbTimeline();
        long[][] timeline = new long[offsets.length][];
        for (int i = 0; i < offsets.length; i++) {
            timeline[i] = new long[]{offsets[i], rss[i]};
        }
        long peak = sampler.peakRssKb();
        long end = sampler.endRssKb();
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        Files.deleteIfExists(stat);
        return new RunResult(round, position, peak > 0 ? peak * 1024 : -1, end > 0 ? end * 1024 : -1, user, sys, wall,
                p.exitValue(), stopped, minflt, majflt, values, stats, timeline, String.join("\n", tail));
    }

    /** Largest stdout read whole for {@code json:} metrics; a summary document is small, a log is not what they read. */
    private static final long JSON_STDOUT_LIMIT = 16L << 20;

    private void jsonMetrics(Path out, Map<String, Double> values) throws IOException {
        if (metrics.stream().noneMatch(MetricPattern::isJson)) {
            return;
        }
        long size = Files.size(out);
        String text;
        if (size <= JSON_STDOUT_LIMIT) {
            text = Files.readString(out, StandardCharsets.UTF_8);
        } else {
            // the summary is printed last: read the tail only
            try (var ch = java.nio.channels.FileChannel.open(out)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) JSON_STDOUT_LIMIT);
                ch.position(size - JSON_STDOUT_LIMIT);
                while (buf.hasRemaining() && ch.read(buf) > 0) {
                    // fill
                }
                text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            }
        }
        for (MetricPattern m : metrics) {
            double v = m.extractJson(text);
            if (!Double.isNaN(v)) {
                values.put(m.name(), v);
            }
        }
    }

    /** One streaming pass over an output file: metric values, and for stderr its tail and the allocator's statistics. */
    private void scan(Path file, Map<String, Double> values, ArrayDeque<String> tail, AllocatorStatsFormat statsFormat,
                      Map<String, Long> stats) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (statsFormat != null && statsFormat.accept(line, stats)) {
                    continue;
                }
                for (MetricPattern m : metrics) {
                    double v = m.extract(line);
                    if (!Double.isNaN(v)) {
                        values.put(m.name(), v);
                    }
                }
                if (tail != null) {
                    tail.addLast(line.length() > TAIL_LINE_CHARS ? line.substring(0, TAIL_LINE_CHARS) + "…" : line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        }
    }
}
