package dev.hotpath.cli.demo;

import dev.hotpath.cli.record.RecordOptions;
import dev.hotpath.cli.record.TargetJvm;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
    static final Duration STARTUP = Duration.ofSeconds(90);

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
        // The recorders' duration is only a backstop: the runner stops each service itself once the load is over.
        Duration backstop = STARTUP.plus(load).plus(Duration.ofSeconds(90));
        RecordedService gw = start("gateway", gwPort, backstop.plus(Duration.ofSeconds(30)), options -> options
                .jfr().nmt().gcLog().agent(agentJar),
                List.of("gateway", "--port=" + gwPort, "--root=" + work.resolve("objects")));
        gw.awaitReady(STARTUP);
        // A memory tier smaller than the shards: the disk tier serves too, and the heap is the size a node cache has
        // when most of its data lives on disk. The heap dumps are the runner's (see dumpCacheHeap).
        RecordedService cache = start("cache", cachePort, backstop, options -> options
                .jfr().nmt().gcLog(),
                List.of("cache", "--port=" + cachePort, "--origin=" + gateway, "--dir=" + work.resolve("cache-disk"),
                        "--mem=1m"));
        RecordedService ingest = start("ingest", ingestPort, backstop, options -> options
                .jfr().nmt().gcLog().asyncProfiler("nativemem"),
                // Small segments: each leaks one Deflater under native-leak, so the growth shows within the run.
                // Four routers append concurrently, as a partitioner's producer threads do.
                List.of("ingest", "--port=" + ingestPort, "--gateway=" + gateway, "--segment=16k", "--split-threshold=2000",
                        "--routers=4"));
        cache.awaitReady(STARTUP);
        ingest.awaitReady(STARTUP);
        primeCache(cachePort);
        double started = (System.nanoTime() - t0) / 1e9;

        progress.phase(String.format(Locale.ROOT, "services ready after %.1f s; load for %d s "
                + "(writes and ingest events to the gateway, sequential epochs through the cache)", started, load.toSeconds()));
        List<String> faults = plan.faultArgs();
        String seconds = "--duration=" + load.toSeconds() + "s";
        // Three load generators, so that slow writes (the gateway's faults) do not throttle the ingest events.
        List<Process> loadgens = List.of(
                loadgen("loadgen-writes", faults, "--target=" + gateway, "--workload=write", "--sizes=2k:50,8k:50",
                        "--threads=4", seconds),
                loadgen("loadgen-ingest", faults, "--ingest=http://127.0.0.1:" + ingestPort, "--workload=ingest",
                        "--threads=4", seconds),
                loadgen("loadgen-reads", faults, "--target=http://127.0.0.1:" + cachePort, "--workload=seq-read",
                        "--objects=" + SHARDS, "--threads=4", seconds));
        long loadStart = System.nanoTime();
        boolean firstDump = false;
        while (loadgens.stream().anyMatch(Process::isAlive)) {
            double f = (System.nanoTime() - loadStart) / 1e9 / load.toSeconds();
            if (!firstDump && f >= FIRST_DUMP_AT) {
                firstDump = true;
                dumpCacheHeap(cache, 1);
            }
            progress.bar("load", Math.min(1, f), "");
            loadgens.get(0).waitFor(500, TimeUnit.MILLISECONDS);
        }
        if (!firstDump) {
            dumpCacheHeap(cache, 1);
        }
        dumpCacheHeap(cache, 2);
        StringBuilder exits = new StringBuilder();
        for (Process p : loadgens) {
            exits.append(exits.length() == 0 ? "" : ", ").append(p.exitValue());
        }
        progress.phase("load done (load generators exit " + exits + "); stopping services and collecting the last evidence");
        // Ingest writes its last segments to the gateway while it stops, so the gateway stops last.
        Duration wait = backstop.plus(Duration.ofSeconds(60));
        cache.stop();
        ingest.stop();
        cache.await(wait);
        ingest.await(wait);
        gw.stop();
        gw.await(wait);
        List<Path> runDirs = new ArrayList<>();
        for (RecordedService s : services) {
            runDirs.add(s.runDir);
        }
        return new Result(runDirs, List.of(work.resolve("loadgen-writes.json"), work.resolve("loadgen-ingest.json"),
                work.resolve("loadgen-reads.json")));
    }

    /**
     * One epoch through the cache before the load, so that the load's reads are the node cache's steady state (hits
     * from its memory and disk tiers) rather than a first epoch of misses queued behind the gateway's writes.
     */
    private void primeCache(int cachePort) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < SHARDS; i++) {
            URI uri = URI.create(String.format(Locale.ROOT, "http://127.0.0.1:%d/data/train/shard-%05d.bin", cachePort, i));
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IOException("priming the cache: " + uri + " answered " + r.statusCode());
            }
        }
    }

    /**
     * When the cache's first heap dump is taken, as a fraction of the load phase. Growth is judged between this dump
     * and the one at the end of the load: by then the memory tier holds its working set (an epoch over the shards
     * takes a few seconds), so what still grows is what the load keeps adding, not warm-up.
     */
    static final double FIRST_DUMP_AT = 0.4;

    /** A heap dump of the cache into its run directory, where the recorder lists it with the other artifacts. */
    private void dumpCacheHeap(RecordedService cache, int n) {
        Path file = cache.runDir.toAbsolutePath().resolve("heap").resolve(String.format(Locale.ROOT, "heap-%02d.hprof", n));
        try {
            Files.createDirectories(file.getParent());
            long pid = cache.jvm().map(ProcessHandle::pid)
                    .orElseThrow(() -> new IOException("the cache's JVM is not running"));
            try (TargetJvm jvm = new TargetJvm(pid, Paths.get(java).resolveSibling("jcmd"))) {
                jvm.heapDump(file);
            }
            progress.phase("cache heap dump " + n + " taken (" + Files.size(file) / (1024 * 1024) + " MiB)");
        } catch (IOException e) {
            progress.phase("cache heap dump " + n + " failed: " + e.getMessage());
        }
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

    /** 48 shards of 64 KiB: small requests, so that even a busy machine serves many reads during the load. */
    static final int SHARDS = 48;
    static final int SHARD_BYTES = 64 * 1024;

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
