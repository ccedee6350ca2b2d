package dev.hotpath.cli.demo;

import dev.hotpath.cli.record.RecordOptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Starts the three services under recording, drives them with two load generators, and leaves one run directory
 * per service. Everything it starts is a descendant of this JVM and mentions the work directory on its command line;
 * {@link #cleanUp} ends every such process, so an interrupted demo leaves nothing running.
 */
public final class DemoRunner {
    /** Time the services get to start (JVM, JFR, the agent) before the load starts. */
    static final Duration STARTUP = Duration.ofSeconds(40);
    /** Time after the load for the final NMT sample, heap dump and JFR dump. */
    static final Duration TAIL = Duration.ofSeconds(5);

    private final Path work;
    private final Path samplesJar;
    private final Path agentJar;
    private final String java;
    private final DemoPlan plan;
    private final Duration load;
    private final Progress progress;
    private final List<RecordedService> services = new ArrayList<>();

    DemoRunner(Path work, Path samplesJar, Path agentJar, String java, DemoPlan plan, Duration load, Progress progress) {
        this.work = work;
        this.samplesJar = samplesJar;
        this.agentJar = agentJar;
        this.java = java;
        this.plan = plan;
        this.load = load;
        this.progress = progress;
    }

    /** Runs everything; returns the run directories (one per service) and the load generators' summaries. */
    Result run() throws IOException, InterruptedException {
        int gwPort = freePort();
        int cachePort = freePort();
        int ingestPort = freePort();
        String gateway = "http://127.0.0.1:" + gwPort;
        long t0 = System.nanoTime();
        progress.phase("starting gateway, cache and ingest under hotpath record (faults: "
                + (plan.faults().isEmpty() ? "none" : String.join(",", plan.ordered())) + ")");

        seedShards(work.resolve("objects").resolve("data").resolve("train"));
        Duration serviceLife = STARTUP.plus(load).plus(TAIL);
        // The gateway outlives its clients: ingest flushes its last segments to it while stopping.
        RecordedService gw = start("gateway", gwPort, serviceLife.plus(Duration.ofSeconds(10)), options -> options
                .jfr().nmt().gcLog().agent(agentJar),
                List.of("gateway", "--port=" + gwPort, "--root=" + work.resolve("objects")));
        gw.awaitReady(STARTUP);
        RecordedService cache = start("cache", cachePort, serviceLife, options -> options
                .jfr().nmt().gcLog().heapDumps(2),
                List.of("cache", "--port=" + cachePort, "--origin=" + gateway, "--dir=" + work.resolve("cache-disk")));
        RecordedService ingest = start("ingest", ingestPort, serviceLife, options -> options
                .jfr().nmt().gcLog().asyncProfiler("nativemem"),
                // Small segments: each leaks one Deflater under native-leak, so the growth shows within the run.
                List.of("ingest", "--port=" + ingestPort, "--gateway=" + gateway, "--segment=64k", "--split-threshold=2000"));
        cache.awaitReady(STARTUP);
        ingest.awaitReady(STARTUP);
        double started = (System.nanoTime() - t0) / 1e9;

        progress.phase(String.format(Locale.ROOT, "services ready after %.1f s; load for %d s "
                + "(writes and ingest events to the gateway, sequential epochs through the cache)", started, load.toSeconds()));
        List<String> faults = plan.faultArgs();
        Process writer = loadgen("loadgen-writes", faults, "--target=" + gateway, "--ingest=http://127.0.0.1:" + ingestPort,
                "--workload=write:1,ingest:2", "--sizes=16k:60,64k:40", "--threads=4", "--duration=" + load.toSeconds() + "s");
        Process reader = loadgen("loadgen-reads", faults, "--target=http://127.0.0.1:" + cachePort,
                "--workload=seq-read", "--objects=" + SHARDS, "--sizes=256k", "--threads=4", "--duration=" + load.toSeconds() + "s");
        long loadStart = System.nanoTime();
        while (writer.isAlive() || reader.isAlive()) {
            double f = (System.nanoTime() - loadStart) / 1e9 / load.toSeconds();
            progress.bar("load", Math.min(1, f), "");
            writer.waitFor(500, TimeUnit.MILLISECONDS);
        }
        progress.phase("load done (writes exit " + writer.exitValue() + ", reads exit " + reader.exitValue()
                + "); stopping services and collecting the last evidence");
        List<Path> runDirs = new ArrayList<>();
        Duration wait = serviceLife.plus(Duration.ofSeconds(60));
        for (RecordedService s : services) {
            s.await(wait);
            runDirs.add(s.runDir);
        }
        return new Result(runDirs, List.of(work.resolve("loadgen-writes.json"), work.resolve("loadgen-reads.json")));
    }

    /**
     * The training shards the read load walks through, written straight into the gateway's directory before it
     * starts: objects are plain files (the multi-protocol case), so no slow PUTs through a faulty gateway are needed.
     */
    static void seedShards(Path dir) throws IOException {
        Files.createDirectories(dir);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        byte[] shard = new byte[SHARD_BYTES];
        for (int i = 0; i < SHARDS; i++) {
            random.nextBytes(shard);
            Files.write(dir.resolve(String.format(Locale.ROOT, "shard-%05d.bin", i)), shard);
        }
    }

    static final int SHARDS = 48;
    static final int SHARD_BYTES = 256 * 1024;

    record Result(List<Path> runDirs, List<Path> loadSummaries) {
    }

    /** RecordOptions with the demo's defaults; each service turns on what its faults need. */
    static final class Builder {
        boolean jfr;
        boolean nmt;
        boolean gcLog;
        int heapDumps;
        Path agentJar;
        Set<String> profiler = Set.of();

        Builder jfr() { jfr = true; return this; }
        Builder nmt() { nmt = true; return this; }
        Builder gcLog() { gcLog = true; return this; }
        Builder heapDumps(int n) { heapDumps = n; return this; }
        Builder agent(Path jar) { agentJar = jar; return this; }
        Builder asyncProfiler(String events) { profiler = Set.of(events.split(",")); return this; }
    }

    private RecordedService start(String name, int port, Duration life, UnaryOperator<Builder> evidence, List<String> args)
            throws IOException {
        Builder b = evidence.apply(new Builder());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseG1GC", "-jar", samplesJar.toString()));
        command.addAll(args);
        command.addAll(plan.faultArgs());
        Path runDir = work.resolve("run-" + name);
        Path log = work.resolve(name + ".log");
        RecordOptions options = new RecordOptions(runDir, life, b.jfr, b.nmt, b.heapDumps, b.agentJar, b.profiler,
                false, b.gcLog, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(20), false, log, command);
        RecordedService s = RecordedService.start(name, port, options);
        services.add(s);
        return s;
    }

    private Process loadgen(String name, List<String> faults, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", samplesJar.toString(), "loadgen"));
        command.addAll(List.of(args));
        command.addAll(faults);
        command.add("--json=" + work.resolve(name + ".json"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile()).start();
    }

    /** Ends every process this demo started (they all name the work directory), then removes the directory. */
    static void cleanUp(Path work, boolean keep) {
        String marker = work.toString();
        List<ProcessHandle> ours = ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .toList();
        ours.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : ours) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        if (!keep) {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // best effort; the directory is under java.io.tmpdir
            }
        }
    }

    static String readSummary(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
