package dev.hotpath.cli.record;

import dev.hotpath.nativemem.proc.MemSample;
import dev.hotpath.nativemem.proc.ProcMemSampler;
import dev.hotpath.nativemem.proc.RssTimeline;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs one recording: starts the JVM with the evidence wired in, samples RSS and NMT and takes heap dumps on a
 * single background thread, stops the JVM at {@code --duration} (SIGTERM, then SIGKILL after the stop timeout) or
 * when it exits by itself or on Ctrl-C, and writes the manifest.
 *
 * <p>All sampling runs on one daemon thread so that record's own CPU cost stays a few two-line file reads per second
 * plus one MBean call per NMT interval (bench.record measures it).
 */
public final class Recorder {
    static final String RSS_FILE = "rss.csv";
    static final String NMT_DIR = "nmt";
    static final String HEAP_DIR = "heap";
    static final String APP_STDERR = "app-stderr.log";

    private final RecordOptions o;
    private final PrintWriter err;
    private final boolean terminal;
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger nmtSamples = new AtomicInteger();
    private final AtomicInteger heapDumpsTaken = new AtomicInteger();
    private volatile MemSample lastSample;
    private volatile boolean nmtBroken;
    private TargetJvm target;

    public Recorder(RecordOptions o, PrintWriter err, boolean terminal) {
        this.o = o;
        this.err = err;
        this.terminal = terminal && o.progress();
    }

    /** What happened: the child's exit code, and whether record stopped it. */
    public record Result(int exitCode, boolean stoppedByRecord, Path manifest) {
    }

    public Result run() throws IOException, InterruptedException {
        Path out = Files.createDirectories(o.out().toAbsolutePath());
        if (o.nmt()) {
            Files.createDirectories(out.resolve(NMT_DIR));
        }
        if (o.heapDumps() > 0) {
            Files.createDirectories(out.resolve(HEAP_DIR));
        }
        if (o.jemalloc()) {
            Files.createDirectories(out.resolve(JvmLaunch.JEMALLOC_DIR));
        }
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
        Writer rss = Files.newBufferedWriter(out.resolve(RSS_FILE), StandardCharsets.UTF_8);
        RssTimeline.writeHeader(rss);
        rss.flush();
        ProcMemSampler sampler = new ProcMemSampler(pid);
        // two threads: RSS and progress must tick every second even while a heap dump or the first attach blocks
        ScheduledExecutorService sched = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hotpath-record-rss"));
        ScheduledExecutorService jvmSched = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hotpath-record-jcmd"));

        CountDownLatch finalized = new CountDownLatch(1);
        boolean[] stoppedByRecord = {false};
        String[] stoppedBy = {"exit"};
        Thread hook = new Thread(() -> {
            // Ctrl-C: the terminal sent SIGINT to the child too; make sure it ends, then let the main thread finish
            synchronized (stoppedBy) {
                if (child.isAlive()) {
                    stoppedBy[0] = "interrupt";
                    stoppedByRecord[0] = true;
                    child.destroy();
                }
            }
            try {
                if (!child.waitFor(o.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                }
                finalized.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "hotpath-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long t0 = System.currentTimeMillis();
            sched.scheduleAtFixedRate(() -> sampleRss(sampler, rss), 0, o.rssInterval().toMillis(), TimeUnit.MILLISECONDS);
            jvmSched.execute(() -> startJvmSampling(jvmSched, out, t0));
            if (terminal) {
                sched.scheduleAtFixedRate(() -> progress(t0, out), 1, 1, TimeUnit.SECONDS);
            }

            if (o.duration() != null) {
                if (!child.waitFor(o.duration().toMillis(), TimeUnit.MILLISECONDS)) {
                    finalCaptures(out);
                    synchronized (stoppedBy) {
                        if (child.isAlive()) {
                            stoppedBy[0] = "duration";
                            stoppedByRecord[0] = true;
                            child.destroy(); // SIGTERM: shutdown hooks run, JFR and jemalloc write their files
                        }
                    }
                    if (!child.waitFor(o.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                        notes.add("the JVM did not exit within " + o.stopTimeout().toSeconds() + " s of SIGTERM; killed");
                        child.destroyForcibly();
                    }
                }
            }
            int exit = child.waitFor();
            Instant endedAt = Instant.now();
            sched.shutdownNow();
            jvmSched.shutdownNow();
            sched.awaitTermination(10, TimeUnit.SECONDS);
            jvmSched.awaitTermination(30, TimeUnit.SECONDS);
            synchronized (rss) {
                rss.close();
            }
            target.close();
            if (stderrLog != null && !JemallocStatsExtractor.extract(stderrLog, out.resolve(JvmLaunch.JEMALLOC_STATS))) {
                notes.add("jemalloc printed no statistics (the JVM was killed before its exit handlers ran?)");
            }
            if (terminal) {
                err.print("\r\033[K");
                err.flush();
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
            Manifest.write(out, launch.command(), jdk, pid, startedAt, endedAt, exit, env, artifacts, stoppedBy[0],
                    new ArrayList<>(notes));
            return new Result(exit, stoppedByRecord[0], out.resolve(Manifest.FILE));
        } finally {
            finalized.countDown();
            sched.shutdownNow();
            jvmSched.shutdownNow();
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

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void sampleRss(ProcMemSampler sampler, Writer rss) {
        try {
            MemSample s = sampler.sample();
            if (s == null) {
                return;
            }
            lastSample = s;
            synchronized (rss) {
                RssTimeline.writeRow(rss, s);
                rss.flush();
            }
        } catch (IOException e) {
            // the timeline file is closed at the end; a late tick has nothing to write
        }
    }

    /** Runs once on the sampler thread: waits until the JVM is attachable, then sets up NMT and heap dumps. */
    private void startJvmSampling(ScheduledExecutorService sched, Path out, long t0) {
        if (!o.nmt() && o.heapDumps() == 0) {
            return;
        }
        try {
            if (!TargetJvm.awaitAttachable(target.pid(), 60_000)) {
                notes.add("the JVM never became attachable; no NMT samples or heap dumps");
                return;
            }
            if (o.nmt()) {
                // the first ticks may find the JVM still refusing attach (JFR and agents start first): retry
                long every = o.nmtInterval().toMillis();
                sched.scheduleAtFixedRate(() -> nmtTick(out), 0, every, TimeUnit.MILLISECONDS);
            }
            scheduleHeapDumps(sched, out, t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private volatile boolean nmtBaseline;

    private void nmtTick(Path out) {
        if (nmtBroken) {
            return;
        }
        try {
            if (!nmtBaseline) {
                String r = target.execute("VM.native_memory", "baseline");
                if (r.contains("not enabled")) {
                    nmtBroken = true;
                    notes.add("NMT: " + r.strip());
                    return;
                }
                nmtBaseline = true;
            }
            nmtSample(out);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.endsWith("has exited")) {
                nmtBroken = true; // the run is ending; nothing to note
            } else if (!m.startsWith("the JVM does not accept attach yet")) {
                nmtBroken = true;
                notes.add("NMT: " + m);
            }
        }
    }

    /** One NMT summary (a new file, stamped with the time) and the diff against the baseline (overwritten). */
    private synchronized void nmtSample(Path out) throws IOException {
        long now = System.currentTimeMillis();
        String summary = target.execute("VM.native_memory", "summary");
        int n = nmtSamples.incrementAndGet();
        Files.writeString(out.resolve(NMT_DIR).resolve(String.format("summary-%04d.txt", n)),
                "# hotpath epochMillis=" + now + "\n" + summary, StandardCharsets.UTF_8);
        String diff = target.execute("VM.native_memory", "summary.diff");
        Path tmp = out.resolve(NMT_DIR).resolve("summary.diff.tmp");
        Files.writeString(tmp, "# hotpath epochMillis=" + now + "\n" + diff, StandardCharsets.UTF_8);
        Files.move(tmp, out.resolve(NMT_DIR).resolve("summary.diff.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * N dumps: with a duration, evenly spaced from start to the stop (the last one just before SIGTERM, see
     * {@link #finalCaptures}); without one, only the first at start-up can be planned.
     */
    private void scheduleHeapDumps(ScheduledExecutorService sched, Path out, long t0) {
        int n = o.heapDumps();
        if (n <= 0) {
            return;
        }
        if (o.duration() == null) {
            heapDump(out);
            if (n > 1) {
                notes.add("without --duration only the first of " + n + " heap dumps could be planned");
            }
            return;
        }
        long d = o.duration().toMillis();
        for (int i = 0; i < n - 1; i++) {
            long at = n == 1 ? d : i * d / (n - 1);
            long delay = Math.max(0, t0 + at - System.currentTimeMillis());
            sched.schedule(() -> heapDump(out), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void heapDump(Path out) {
        int i = heapDumpsTaken.incrementAndGet();
        Path file = out.resolve(HEAP_DIR).resolve(String.format("heap-%02d.hprof", i));
        try {
            target.heapDump(file);
        } catch (IOException e) {
            notes.add("heap dump " + i + ": " + e.getMessage());
        }
    }

    /** Before stopping the JVM at {@code --duration}: the last NMT sample and diff, and the last heap dump. */
    private void finalCaptures(Path out) {
        if (o.nmt() && !nmtBroken && nmtBaseline) {
            try {
                nmtSample(out);
            } catch (IOException e) {
                notes.add("final NMT sample: " + e.getMessage());
            }
        }
        if (o.heapDumps() > 0 && heapDumpsTaken.get() < o.heapDumps()) {
            heapDump(out);
        }
    }

    private void progress(long t0, Path out) {
        long s = (System.currentTimeMillis() - t0) / 1000;
        MemSample m = lastSample;
        String rss = m == null ? "?" : String.format("%.1f MB", m.rssKb() / 1024.0);
        int artifacts;
        try {
            artifacts = listArtifacts(out).size();
        } catch (IOException e) {
            artifacts = 0;
        }
        synchronized (err) {
            err.printf("\r\033[K[hotpath record] %02d:%02d elapsed  RSS %s  artifacts %d", s / 60, s % 60, rss, artifacts);
            err.flush();
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
