package dev.hotpath.cli.record;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one recording of a JVM it starts: the evidence wired into the command line, RSS and NMT sampling and heap
 * dumps in the background (JvmSampling), the JVM stopped at {@code --duration} or on Ctrl-C (last captures,
 * async-profiler stopped, SIGTERM, then SIGKILL after the stop timeout) or left to exit by itself; then the manifest.
 *
 * <p>Sampling is two reads of small /proc files per second plus one attach call per NMT interval, so that record's
 * own CPU cost stays within its budget (bench.record measures it).
 */
public final class Recorder {
    static final String RSS_FILE = "rss.csv";
    static final String NMT_DIR = "nmt";
    static final String HEAP_DIR = "heap";
    static final String APP_STDERR = "app-stderr.log";

    private final RecordOptions o;
    private final PrintWriter err;
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final ProgressLine.Mode progress;
    private final Object stopLock = new Object();
    private String stoppedBy = "exit";
    private TargetJvm target;

    /** @param terminal whether {@code err} is a terminal: the progress line is shown only then (and with o.progress()) */
    public Recorder(RecordOptions o, PrintWriter err, boolean terminal) {
        this(o, err, terminal && o.progress() ? ProgressLine.Mode.TERMINAL : ProgressLine.Mode.NONE);
    }

    public Recorder(RecordOptions o, PrintWriter err, ProgressLine.Mode progress) {
        this.o = o;
        this.err = err;
        this.progress = progress;
    }

    /** What happened: the child's exit code, and whether record stopped it. */
    public record Result(int exitCode, boolean stoppedByRecord, Path manifest) {
    }

    public Result run() throws IOException, InterruptedException {
        return run(r -> { });
    }

    /**
     * @param report called with the result before a Ctrl-C's shutdown hook is released: the JVM halts once the hook
     *               returns, so whatever the user must still see (the final line) is printed here
     */
    public Result run(java.util.function.Consumer<Result> report) throws IOException, InterruptedException {
        Path out = Files.createDirectories(o.out().toAbsolutePath());
        createDirectories(o, out);
        Path profilerLib = o.asyncProfiler().isEmpty() ? null
                : AsyncProfilerLibrary.extract(AsyncProfilerLibrary.defaultCacheDir());
        JvmLaunch launch = JvmLaunch.build(o, profilerLib, System.getenv());
        Path javaExe = JvmLaunch.resolveExecutable(o.command().get(0), System.getenv());
        Path javaHome = javaExe == null ? null : JvmLaunch.javaHome(javaExe);
        String jdk = JvmLaunch.javaVersion(javaHome);
        Path jcmd = javaHome == null ? null : javaHome.resolve("bin/jcmd");

        ProcessBuilder pb = new ProcessBuilder(launch.command());
        pb.environment().putAll(launch.environment());
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        ProcessBuilder.Redirect appOut = o.appLog() == null ? ProcessBuilder.Redirect.INHERIT
                : ProcessBuilder.Redirect.appendTo(o.appLog().toFile());
        // with jemalloc, stderr goes to a file so its exit statistics can be cut out of it (see JemallocStatsExtractor)
        Path stderrLog = !o.jemalloc() ? null : o.appLog() != null ? o.appLog() : out.resolve(APP_STDERR);
        pb.redirectOutput(appOut);
        pb.redirectError(stderrLog == null ? appOut : ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        Instant startedAt = Instant.now();
        Process child = pb.start();
        long pid = child.pid();
        target = new TargetJvm(pid, jcmd);
        JvmSampling sampling = new JvmSampling(o, out, target, notes);

        CountDownLatch finalized = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: finish the evidence (last NMT sample, async-profiler's file) and stop the JVM (a terminal has
            // sent it SIGINT too; then the captures fail fast and are noted), then let the main thread finish
            stopChild(child, sampling, profilerLib, "interrupt");
            try {
                finalized.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "hotpath-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long t0 = System.currentTimeMillis();
            sampling.startRss(t0, err, progress);
            sampling.startJvm(t0);
            if (o.duration() != null) {
                // --duration counts from when the JVM handles signals: a SIGTERM before that kills it without its
                // shutdown hooks, so without the JFR dump (seen on a loaded machine, where start-up takes seconds)
                TargetJvm.awaitAttachable(pid, 60_000);
                if (!child.waitFor(o.duration().toMillis(), TimeUnit.MILLISECONDS)) {
                    stopChild(child, sampling, profilerLib, "duration");
                }
            }
            int exit = child.waitFor();
            Instant endedAt = Instant.now();
            sampling.stop();
            target.close();
            if (stderrLog != null && !JemallocStatsExtractor.extract(stderrLog, out.resolve(JvmLaunch.JEMALLOC_STATS))) {
                notes.add("jemalloc printed no statistics (the JVM was killed before its exit handlers ran?)");
            }
            if (!target.attachError().isEmpty()) {
                notes.add("attach failed (" + target.attachError() + "); used jcmd");
            }
            List<Manifest.Entry> artifacts = listArtifacts(out);
            Map<String, String> env = new LinkedHashMap<>(launch.environment());
            for (String k : List.of("LD_PRELOAD", "MALLOC_CONF", "MALLOC_ARENA_MAX", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")) {
                String v = System.getenv(k);
                if (v != null && !env.containsKey(k)) {
                    env.put(k, v);
                }
            }
            String by;
            synchronized (stopLock) {
                by = stoppedBy;
            }
            Manifest.write(out, launch.command(), jdk, pid, startedAt, endedAt, exit, env, artifacts, by,
                    new ArrayList<>(notes));
            Result result = new Result(exit, !by.equals("exit"), out.resolve(Manifest.FILE));
            report.accept(result);
            return result;
        } finally {
            finalized.countDown();
            sampling.abandon();
            if (child.isAlive()) {
                child.destroyForcibly();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook is running
            }
        }
    }

    static void createDirectories(RecordOptions o, Path out) throws IOException {
        if (o.nmt()) {
            Files.createDirectories(out.resolve(NMT_DIR));
        }
        if (o.heapDumps() > 0) {
            Files.createDirectories(out.resolve(HEAP_DIR));
        }
        if (o.jemalloc()) {
            Files.createDirectories(out.resolve(JvmLaunch.JEMALLOC_DIR));
        }
    }

    /**
     * Stops the JVM once (at --duration or on Ctrl-C, whichever comes first): the last NMT sample and heap dump,
     * async-profiler stopped so that its file is complete before the JVM is asked to exit (a JVM that hangs in its
     * shutdown hooks and is killed would otherwise leave it cut off), then SIGTERM, and SIGKILL after the timeout.
     */
    private void stopChild(Process child, JvmSampling sampling, Path profilerLib, String reason) {
        synchronized (stopLock) {
            if (!stoppedBy.equals("exit") || !child.isAlive()) {
                return;
            }
            stoppedBy = reason;
        }
        try {
            sampling.finalCaptures();
            if (profilerLib != null && child.isAlive()) {
                AsyncProfilerControl.stop(target, profilerLib, notes);
            }
            child.destroy(); // SIGTERM: shutdown hooks run, JFR and jemalloc write their files
            if (!child.waitFor(o.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                notes.add("the JVM did not exit within " + o.stopTimeout().toSeconds() + " s of SIGTERM; killed");
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
        }
    }

    /** Every file of the run directory that is evidence, with its type id (FORMATS.md), in a stable order. */
    static List<Manifest.Entry> listArtifacts(Path out) throws IOException {
        List<Manifest.Entry> list = new ArrayList<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = out.relativize(p).toString().replace('\\', '/');
                String type = typeOf(rel, p);
                if (type != null) {
                    list.add(new Manifest.Entry(rel, type));
                }
            }
        }
        return list;
    }

    private static String typeOf(String rel, Path p) throws IOException {
        if (rel.equals(JvmLaunch.JFR)) {
            return "jfr";
        }
        if (rel.equals(JvmLaunch.ASYNC_JFR)) {
            return "async-profiler-jfr";
        }
        if (rel.equals(JvmLaunch.GC_LOG) || rel.startsWith(JvmLaunch.GC_LOG + ".")) {
            return Files.size(p) > 0 ? "gclog" : null;
        }
        if (rel.equals(RSS_FILE)) {
            return "rss";
        }
        if (rel.equals(JvmLaunch.AGENT_SNAPSHOT)) {
            return "agent-snapshot";
        }
        if (rel.equals(JvmLaunch.JEMALLOC_STATS)) {
            return "jemalloc-stats";
        }
        if (rel.startsWith(NMT_DIR + "/") && rel.endsWith(".txt")) {
            return "nmt";
        }
        if (rel.startsWith(HEAP_DIR + "/") && rel.endsWith(".hprof")) {
            return "hprof";
        }
        if (rel.startsWith(JvmLaunch.JEMALLOC_DIR + "/") && rel.endsWith(".heap")) {
            return "jemalloc";
        }
        return null;
    }
}
