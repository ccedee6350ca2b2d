package dev.hotpath.analyzer.fuzz;

import dev.hotpath.analyzer.detect.ArtifactDetector;
import dev.hotpath.analyzer.detect.Detection;
import dev.hotpath.analyzer.model.ArtifactType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deterministic mutation sweep of {@link ArtifactDetector} over seeds made by a real JVM (JFR recording, GC log,
 * heap dumps plain and gzip'd via jcmd, NMT via jcmd) and hand-written text formats: every input must end in a
 * detection or a one-line {@code UnusableInputException}, within its time bound.
 */
class DetectorSweepTest {
    /** Per-input bound; the detector reads at most a bounded head, so anything near this is a hang. */
    private static final Duration PER_INPUT = Duration.ofSeconds(10);
    private static final long RANDOM_SEED = 0x5eed_2026L;

    @TempDir
    static Path seedsDir;
    private static final Map<String, byte[]> SEEDS = new LinkedHashMap<>();
    private static final Map<String, ArtifactType> EXPECTED = new LinkedHashMap<>();

    @TempDir
    Path work;

    @BeforeAll
    static void makeSeeds() throws Exception {
        Path jfr = seedsDir.resolve("host.jfr");
        Path gc = seedsDir.resolve("gc.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process host = new ProcessBuilder(java, "-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:NativeMemoryTracking=summary", "-Xlog:gc*:file=" + gc,
                "-XX:StartFlightRecording:filename=" + jfr + ",settings=none",
                "-cp", System.getProperty("java.class.path"), SeedHost.class.getName())
                .redirectError(seedsDir.resolve("host.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
            // JFR announces its recording on stdout first.
            String ready = out.readLine();
            while (ready != null && !ready.startsWith("ready")) {
                ready = out.readLine();
            }
            assertThat(ready).as("host said ready; stderr: %s", Files.readString(seedsDir.resolve("host.err")))
                    .startsWith("ready");
            String pid = String.valueOf(host.pid());
            Path hprof = seedsDir.resolve("heap.hprof");
            Path hprofGz = seedsDir.resolve("heap.hprof.gz");
            jcmd(jcmd, pid, "GC.heap_dump", hprof.toString());
            jcmd(jcmd, pid, "GC.heap_dump", "-gz=1", hprofGz.toString());
            byte[] nmt = jcmd(jcmd, pid, "VM.native_memory", "summary");
            host.getOutputStream().write('\n');
            host.getOutputStream().flush();
            assertThat(host.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(host.exitValue()).isZero();

            SEEDS.put("jfr", Files.readAllBytes(jfr));
            // The detector reads heads; the first 256 KiB of a dump hold its header and hundreds of records.
            SEEDS.put("hprof", head(Files.readAllBytes(hprof), 256 * 1024));
            SEEDS.put("hprof-gz", head(Files.readAllBytes(hprofGz), 64 * 1024));
            SEEDS.put("nmt", nmt);
            SEEDS.put("gclog", Files.readAllBytes(gc));
        } finally {
            host.destroyForcibly();
        }
        SEEDS.put("collapsed", ("java.lang.Thread.run;com.acme.Ingest.loop;com.acme.Ingest.compress;java.util.zip.Deflater.deflate 340\n"
                + "java.lang.Thread.run;com.acme.Ingest.loop;com.acme.Ingest.partition 160\n"
                + "java.lang.Thread.run;com.acme.Cache.get;java.util.HashMap.get 55\n"
                + "java.lang.Thread.run;com.acme.Cache.get 12\n").getBytes(StandardCharsets.UTF_8));
        SEEDS.put("agent-snapshot", ("{\"pid\":4242,\"startedAt\":\"2026-11-25T10:00:00Z\",\"capturedAt\":\"2026-11-25T10:01:00Z\","
                + "\"dropped\":0,\"callSites\":["
                + "{\"site\":\"com.acme.Log.append(Log.java:88)\",\"kind\":\"file\",\"op\":\"write\",\"target\":\"/data/seg-001.log\","
                + "\"count\":10000,\"bytes\":40960000,\"latencyNanos\":{\"p50\":1200,\"p90\":3000,\"p99\":9000,\"p999\":20000,\"max\":81000},"
                + "\"pattern\":\"sequential\"},\n"
                + "{\"site\":\"com.acme.Net.send(Net.java:12)\",\"kind\":\"socket\",\"op\":\"write\",\"target\":\"10.0.0.2:9092\","
                + "\"count\":500,\"bytes\":512000,\"latencyNanos\":{\"p50\":100,\"p90\":300,\"p99\":900,\"p999\":2000,\"max\":8100},"
                + "\"pattern\":\"n/a\"}]}\n").getBytes(StandardCharsets.UTF_8));
        EXPECTED.put("jfr", ArtifactType.JFR);
        EXPECTED.put("hprof", ArtifactType.HPROF);
        EXPECTED.put("hprof-gz", ArtifactType.HPROF);
        EXPECTED.put("nmt", ArtifactType.NMT);
        EXPECTED.put("gclog", ArtifactType.GCLOG);
        EXPECTED.put("collapsed", ArtifactType.COLLAPSED);
        EXPECTED.put("agent-snapshot", ArtifactType.AGENT_SNAPSHOT);
    }

    @Test
    void everySeedIsDetectedAsWhatItIs() throws Exception {
        ArtifactDetector detector = new ArtifactDetector();
        for (Map.Entry<String, byte[]> seed : SEEDS.entrySet()) {
            Path file = Files.write(work.resolve(seed.getKey()), seed.getValue());
            assertThat(detector.detect(file).type()).as(seed.getKey()).isEqualTo(EXPECTED.get(seed.getKey()));
        }
    }

    @Test
    void tenThousandMutantsEndInADetectionOrAOneLineError() throws Exception {
        List<Mutations.Mutation> inputs = new ArrayList<>();
        Map<String, Integer> perFormat = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> seed : SEEDS.entrySet()) {
            List<Mutations.Mutation> m = mutants(seed.getKey(), seed.getValue());
            perFormat.put(seed.getKey(), m.size());
            inputs.addAll(m);
        }
        ArtifactDetector detector = new ArtifactDetector();
        AtomicLong counter = new AtomicLong();
        Map<ArtifactType, Integer> detected = new java.util.EnumMap<>(ArtifactType.class);
        MutationSweep.Report report = new MutationSweep(PER_INPUT).run(inputs, bytes -> {
            Path file = work.resolve("in-" + counter.incrementAndGet());
            Files.write(file, bytes);
            try {
                Detection d = detector.detect(file);
                synchronized (detected) {
                    detected.merge(d.type(), 1, Integer::sum);
                }
                return d;
            } finally {
                Files.deleteIfExists(file);
            }
        });
        System.out.println("DetectorSweepTest: inputs per seed " + perFormat + "; outcomes " + report.counts()
                + "; detected as " + detected);
        assertThat(report.failures()).isEmpty();
        assertThat(report.total()).isEqualTo(inputs.size()).isGreaterThanOrEqualTo(10_000);
        assertThat(report.count(MutationSweep.Outcome.RESULT) + report.count(MutationSweep.Outcome.UNUSABLE))
                .isEqualTo(inputs.size());
        // The sweep reached both sides of every probe: mutants still detected and mutants refused.
        for (ArtifactType type : EXPECTED.values()) {
            assertThat(detected.getOrDefault(type, 0)).as("mutants still detected as %s", type).isPositive();
        }
        assertThat(report.count(MutationSweep.Outcome.UNUSABLE)).isPositive();
    }

    @Test
    void theSweepItselfCatchesWhatItMustCatch() throws Exception {
        List<Mutations.Mutation> inputs = List.of(new Mutations.Mutation("ok", new byte[] {1}),
                new Mutations.Mutation("npe", new byte[] {2}), new Mutations.Mutation("hang", new byte[] {3}),
                new Mutations.Mutation("oom", new byte[] {4}), new Mutations.Mutation("unusable", new byte[] {5}),
                new Mutations.Mutation("twoLines", new byte[] {6}));
        MutationSweep.Report report = new MutationSweep(Duration.ofMillis(500)).run(inputs, bytes -> switch (bytes[0]) {
            case 1 -> "fine";
            case 2 -> throw new NullPointerException("boom");
            case 3 -> {
                Thread.sleep(60_000);
                yield "late";
            }
            case 4 -> throw new OutOfMemoryError("Java heap space");
            case 5 -> throw new dev.hotpath.analyzer.model.UnusableInputException(Path.of("x"), "bad");
            default -> throw new dev.hotpath.analyzer.model.UnusableInputException(Path.of("x"), "bad\nat line 2");
        });
        assertThat(report.counts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                MutationSweep.Outcome.RESULT, 1, MutationSweep.Outcome.EXCEPTION, 1, MutationSweep.Outcome.TIMEOUT, 1,
                MutationSweep.Outcome.OUT_OF_MEMORY, 1, MutationSweep.Outcome.UNUSABLE, 1, MutationSweep.Outcome.BAD_MESSAGE, 1));
        assertThat(report.failures()).extracting(MutationSweep.Failure::input)
                .containsExactly("npe", "hang", "oom", "twoLines");
    }

    @Test
    void mutationsAreReproducible() {
        byte[] seed = SEEDS.get("nmt");
        List<Mutations.Mutation> a = mutants("nmt", seed);
        List<Mutations.Mutation> b = mutants("nmt", seed);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).name()).isEqualTo(b.get(i).name());
            assertThat(a.get(i).bytes()).isEqualTo(b.get(i).bytes());
        }
        // Each named mutation is what its name says: a cut at N bytes is the first N bytes.
        List<Mutations.Mutation> cuts = a.stream().filter(m -> m.name().startsWith("nmt/cut@")).toList();
        assertThat(cuts).hasSize(Math.min(300, (seed.length - 1 + Math.max(1, seed.length / 300) - 1) / Math.max(1, seed.length / 300)));
        for (Mutations.Mutation cut : cuts) {
            int n = Integer.parseInt(cut.name().substring("nmt/cut@".length()));
            assertThat(cut.bytes()).isEqualTo(Arrays.copyOf(seed, n));
        }
    }

    /** About 1,500 inputs per seed; the kinds and their budgets are fixed so the sweep is the same on every run. */
    static List<Mutations.Mutation> mutants(String name, byte[] seed) {
        boolean text = !name.startsWith("jfr") && !name.startsWith("hprof");
        int[] boundaries = switch (name) {
            case "hprof" -> hprofRecords(seed);
            case "jfr", "hprof-gz" -> Mutations.every(seed.length, 512);
            default -> Mutations.lineStarts(seed);
        };
        Mutations m = new Mutations(name, seed, boundaries)
                .seedItself()
                .truncations(Math.max(1, seed.length / 300), 300)
                .bitFlips(500, 4, Math.min(seed.length, 8192), RANDOM_SEED)
                .lengthFieldsAtRecords(text ? 5 : 12)
                .records(300, RANDOM_SEED + 1);
        if (name.equals("jfr")) {
            // Chunk header: major/minor u2 at 4/6, then u8 chunk size, constant pool and metadata offsets, ...
            m.lengthFields(4, 6, 8, 16, 24, 32, 40, 48, 56, 64);
        } else if (name.equals("hprof")) {
            // Identifier size u4 right after the NUL-terminated version string, then the u8 timestamp.
            m.lengthFields(19, 23, 27);
        } else if (name.equals("hprof-gz")) {
            // gzip header: flags at 3, mtime at 4; deflate data from 10.
            m.lengthFields(3, 4, 8, 10);
        }
        if (text) {
            m.hostileText(200, RANDOM_SEED + 2);
        }
        return m.all();
    }

    /** Record starts of a (possibly cut) HPROF: tag u1, time u4, length u4, body. */
    private static int[] hprofRecords(byte[] hprof) {
        List<Integer> starts = new ArrayList<>();
        int idSizeAt = 19;
        ByteBuffer b = ByteBuffer.wrap(hprof);
        int p = idSizeAt + 4 + 8;
        while (p + 9 <= hprof.length && starts.size() < 5000) {
            starts.add(p);
            long length = Integer.toUnsignedLong(b.getInt(p + 5));
            p += 9 + (int) Math.min(length, hprof.length);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static byte[] head(byte[] all, int max) {
        return all.length <= max ? all : Arrays.copyOf(all, max);
    }

    private static byte[] jcmd(String jcmd, String pid, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(jcmd, pid));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", command, new String(out, StandardCharsets.UTF_8)).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
