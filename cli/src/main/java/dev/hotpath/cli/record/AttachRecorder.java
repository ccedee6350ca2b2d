package dev.hotpath.cli.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code hotpath record --pid PID}: records a JVM that is already running, and leaves it running. Everything goes
 * through the attach API (TargetJvm): {@code JFR.start} and, at the end, {@code JFR.stop filename=}; NMT summaries
 * when the JVM was started with NMT (it cannot be turned on later; the manifest says so); heap dumps;
 * {@code VM.log} for the GC log, switched off again at the end; async-profiler's bundled library loaded with
 * {@code start,...} and later {@code stop}; the hotpath agent loaded with its HTTP endpoint, whose {@code /snapshot}
 * is saved at the end. The RSS timeline and progress are the same as for a launched JVM (JvmSampling).
 *
 * <p>The recording ends {@code --duration} after the evidence is running (loading agents into a busy JVM can take
 * many seconds, which would otherwise eat the window), on Ctrl-C (the shutdown hook hands over to the main thread and waits
 * for the run directory), or when the target exits. What cannot be undone is noted in the manifest: a Java agent
 * cannot be unloaded, and async-profiler's library stays mapped though idle.
 */
public final class AttachRecorder {
    private static final long ATTACHABLE_TIMEOUT_MILLIS = 10_000;
    private static final List<String> ENV_KEYS =
            List.of("LD_PRELOAD", "MALLOC_CONF", "MALLOC_ARENA_MAX", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");

    private final RecordOptions o;
    private final long pid;
    private final PrintWriter err;
    private final ProgressLine.Mode progress;
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile String stoppedBy = "duration";

    public AttachRecorder(RecordOptions o, long pid, PrintWriter err, ProgressLine.Mode progress) {
        this.o = o;
        this.pid = pid;
        this.err = err;
        this.progress = progress;
    }

    /**
     * Checks that {@code pid} is a live JVM we can record; its JDK home.
     *
     * @throws IllegalArgumentException with the message the user sees (a usage error)
     */
    public static Path checkTarget(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalArgumentException("--pid " + pid + ": no such process");
        }
        Path exe;
        try {
            exe = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("--pid " + pid + ": cannot read /proc/" + pid + "/exe (" + e.getMessage()
                    + "); record it as the same user");
        }
        Path home = JvmLaunch.javaHome(exe);
        if (home == null || !JvmLaunch.isJavaCommand(exe.toString())) {
            throw new IllegalArgumentException("--pid " + pid + ": not a JVM (" + exe + ")");
        }
        return home;
    }

    public Recorder.Result run() throws IOException, InterruptedException {
        return run(r -> { });
    }

    /**
     * @param report called with the result before a Ctrl-C's shutdown hook is released: the JVM halts once the hook
     *               returns, so whatever the user must still see (the final line) is printed here
     */
    public Recorder.Result run(java.util.function.Consumer<Recorder.Result> report) throws IOException, InterruptedException {
        Path javaHome = checkTarget(pid);
        Path out = Files.createDirectories(o.out().toAbsolutePath());
        Recorder.createDirectories(o, out);
        Path profilerLib = o.asyncProfiler().isEmpty() ? null
                : AsyncProfilerLibrary.extract(AsyncProfilerLibrary.defaultCacheDir());
        List<String> command = readCommandLine(pid);
        Map<String, String> env = readEnvironment(pid);
        TargetJvm target = new TargetJvm(pid, javaHome.resolve("bin/jcmd"));
        JvmSampling sampling = new JvmSampling(o, out, target, notes);
        CountDownLatch finalized = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: the main thread stops the evidence and writes the manifest; the JVM halts once that is done
            stoppedBy = "interrupt";
            stopRequested.countDown();
            try {
                finalized.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "hotpath-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Instant startedAt = Instant.now();
        long t0 = System.currentTimeMillis();
        String jfrName = "hotpath-record-" + t0;
        int agentPort = 0;
        try {
            sampling.startRss(t0, err, progress);
            if (!TargetJvm.awaitAttachable(pid, ATTACHABLE_TIMEOUT_MILLIS)) {
                throw new IOException("JVM " + pid + " has no attach listener thread (started with -XX:+DisableAttachMechanism?)");
            }
            sampling.nmtFirst();
            boolean jfr = o.jfr() && step("JFR.start", () -> expect(target.execute("JFR.start", "name=" + jfrName,
                    "settings=profile"), "Started recording"));
            boolean gcLog = o.gcLog() && step("VM.log", () -> expect(target.execute("VM.log",
                    "output=file=" + out.resolve(JvmLaunch.GC_LOG), "what=gc*,safepoint",
                    "decorators=time,uptime,level,tags"), ""));
            boolean profiler = profilerLib != null && step("async-profiler start", () -> target.loadAgentPath(profilerLib,
                    AsyncProfilerControl.startOptions(o.asyncProfiler(), out.resolve(JvmLaunch.ASYNC_JFR))));
            if (o.agentJar() != null) {
                int port = freePort();
                if (step("hotpath agent", () -> target.loadAgent(o.agentJar().toAbsolutePath(), "port=" + port))) {
                    agentPort = port;
                    notes.add("the hotpath agent stays loaded in JVM " + pid + " (a Java agent cannot be unloaded); "
                            + "it serves /snapshot and /metrics on 127.0.0.1:" + port);
                }
            }
            // --duration is the time with the evidence running: attaching agents to a busy JVM can take seconds
            long recordingFrom = System.currentTimeMillis();
            sampling.startJvm(recordingFrom);
            awaitEnd(recordingFrom);
            boolean alive = isAlive();
            if (alive) {
                sampling.finalCaptures();
                if (profiler) {
                    AsyncProfilerControl.stop(target, profilerLib, notes);
                }
                if (jfr) {
                    step("JFR.stop", () -> expect(target.execute("JFR.stop", "name=" + jfrName,
                            "filename=" + out.resolve(JvmLaunch.JFR)), "Stopped recording"));
                }
                if (gcLog) {
                    step("VM.log off", () -> expect(target.execute("VM.log",
                            "output=file=" + out.resolve(JvmLaunch.GC_LOG), "what=all=off"), ""));
                }
                if (agentPort > 0) {
                    int port = agentPort;
                    step("agent snapshot", () -> saveSnapshot(port, out.resolve(JvmLaunch.AGENT_SNAPSHOT)));
                }
            } else {
                stoppedBy = "target-exit";
                notes.add("JVM " + pid + " exited during the recording; JFR, async-profiler and agent data that were "
                        + "not yet written are lost");
            }
            Instant endedAt = Instant.now();
            sampling.stop();
            target.close();
            boolean stillAlive = isAlive();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("attached", true);
            extra.put("targetAlive", stillAlive);
            Manifest.write(out, command, JvmLaunch.javaVersion(javaHome), pid, startedAt, endedAt, null, env,
                    Recorder.listArtifacts(out), stoppedBy, new ArrayList<>(notes), extra);
            // attached, "stopped by record" means the recording ended while the JVM still ran
            Recorder.Result result = new Recorder.Result(0, stillAlive, out.resolve(Manifest.FILE));
            report.accept(result);
            return result;
        } finally {
            finalized.countDown();
            sampling.abandon();
            target.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook is running
            }
        }
    }

    private boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Until --duration has passed (or forever without it), Ctrl-C, or the target's exit. */
    private void awaitEnd(long t0) throws InterruptedException {
        long end = o.duration() == null ? Long.MAX_VALUE : t0 + o.duration().toMillis();
        while (isAlive()) {
            long left = end - System.currentTimeMillis();
            if (left <= 0 || stopRequested.await(Math.min(left, 250), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /** One attach-time action; a failure becomes a manifest note and the rest of the recording goes on. */
    private boolean step(String what, Step s) {
        try {
            s.run();
            return true;
        } catch (IOException e) {
            notes.add(what + ": " + e.getMessage());
            return false;
        }
    }

    /** A diagnostic command's output must contain {@code marker}, and must not be an error report. */
    private static void expect(String output, String marker) throws IOException {
        String t = output.strip();
        if (!t.contains(marker) || t.contains("Exception") || t.startsWith("Error") || t.contains("Invalid")) {
            throw new IOException(t.isEmpty() ? "no output" : t.lines().findFirst().orElse(t));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The agent's /snapshot at this moment, written atomically. */
    private static void saveSnapshot(int port, Path file) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/snapshot").openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(30_000);
        if (c.getResponseCode() != 200) {
            throw new IOException("GET /snapshot on 127.0.0.1:" + port + " answered " + c.getResponseCode());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            c.disconnect();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The target's argv from {@code /proc/PID/cmdline} (NUL-separated). */
    static List<String> readCommandLine(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
            List<String> args = new ArrayList<>();
            for (String a : s.split("\0")) {
                if (!a.isEmpty()) {
                    args.add(a);
                }
            }
            return args;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The variables that matter to a native-memory diagnosis, from the target's own environment. */
    static Map<String, String> readEnvironment(long pid) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.UTF_8);
            for (String kv : s.split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && ENV_KEYS.contains(kv.substring(0, eq))) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            // another user's process: the manifest's environment stays empty
        }
        return env;
    }
}
