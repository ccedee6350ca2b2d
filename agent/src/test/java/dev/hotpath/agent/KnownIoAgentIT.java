package dev.hotpath.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotpath.analyzer.io.AgentSnapshotReader;
import dev.hotpath.analyzer.io.IoAnalysis;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.rules.RuleSettings;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code KnownIo} in a real JVM under {@code -javaagent} (JDK 17 and JDK 25) and checks the snapshot against the
 * I/O the program is known to do: exact counts and bytes per call site, targets, patterns, ordered percentiles, and
 * the {@code hotpath.Io} JFR events.
 */
class KnownIoAgentIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"17", "25"})
    void recordsEveryOperationPerCallSite(String jdk) throws Exception {
        String java = jdk.equals("17") ? AgentProcess.JDK17 : AgentProcess.JDK25;
        Path snapshot = dir.resolve("snapshot.json");
        Path jfr = dir.resolve("rec.jfr");
        Map<String, Integer> line = AgentProcess.siteLines();
        try (AgentProcess p = AgentProcess.start(java, List.of(
                AgentProcess.agentArg("snapshot=" + snapshot + ",jfr=true,jfrThreshold=0ns"),
                "-XX:StartFlightRecording=filename=" + jfr + ",dumponexit=true"), dir.toString())) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stderr()).doesNotContain("hotpath-agent:");
            // nothing of ours on the host's stderr: on JDK 25, ByteBuddy's Nexus probe used to make the JVM warn of
            // a terminally deprecated sun.misc.Unsafe call; the JVM's own note that CDS now shares only the boot
            // loader's classes (any agent appending to the boot class path gets it) is the one line left
            assertThat(p.stderr().lines().filter(l -> !l.contains("Sharing is only supported for boot loader classes"))
                    .toList()).as(p.stderr()).isEmpty();
            JsonNode s = AgentProcess.read(snapshot);
            assertThat(s.get("pid").asLong()).isEqualTo(p.process.pid());
            assertThat(s.get("dropped").asLong()).isZero();
            assertThat(s.get("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            String log = p.value("log");
            String port = p.value("port");
            String channelPort = p.value("channelPort");

            expect(s, line.get("writeLog"), "com.acme.iotest.KnownIo.writeLog", "file", "write", log, 1000, 128000,
                    "sequential");
            expect(s, line.get("readLog"), "com.acme.iotest.KnownIo.readLog", "file", "read", log, 33, 128000,
                    "sequential");
            expect(s, line.get("randomReads"), "com.acme.iotest.KnownIo.randomReads", "file", "read", log, 20, 10240,
                    "random");
            expect(s, line.get("positionalReads"), "com.acme.iotest.KnownIo.positionalReads", "file", "read", log, 10,
                    40960, "sequential");
            // read amplification: 20,000 positional 4 KiB reads of 64 distinct blocks, and one scan of the same file
            String hot = p.value("hot");
            expect(s, line.get("hotBlocks"), "com.acme.iotest.KnownIo.rereads", "file", "read", hot, 20_000,
                    20_000L * 4096, "random");
            expect(s, line.get("scanOnce"), "com.acme.iotest.KnownIo.rereads", "file", "read", hot, 1025, 64L << 20,
                    "sequential");
            expectDistinct(s, line.get("hotBlocks"), blocks(0, 64, 256), 63);
            expectDistinct(s, line.get("scanOnce"), blocks(0, 16384, 1), 16433);
            expectDistinct(s, line.get("readLog"), blocks(0, 32, 1), 32);
            expectDistinct(s, line.get("positionalReads"), blocks(0, 10, 1), 10);
            expectDistinct(s, line.get("randomReads"), blocks(0, 20, 1), 20);
            expectDistinct(s, line.get("asyncFutureRead"), blocks(0, 2, 1), 2);
            for (String site : List.of("writeLog", "journalWrite", "transfer", "clientWrite", "channelRead")) {
                for (JsonNode cs : AgentProcess.at(s, line.get(site))) {
                    assertThat(cs.has("distinctBytes")).as("distinctBytes at %s", site).isFalse();
                }
            }
            // the io rules, on this snapshot: the hot site is flagged (by the file's size it would be 2.2x), the scan
            // is not named
            List<Finding> amp = IoAnalysis.run(List.of(AgentSnapshotReader.read(snapshot,
                            new Artifact(snapshot, ArtifactType.AGENT_SNAPSHOT, Files.size(snapshot), null, Map.of()),
                            n -> { })), RuleSettings.parse(List.of(), IoAnalysis.RULES)).stream()
                    .filter(f -> f.id().equals("io.read-amplification")).toList();
            assertThat(amp).hasSize(1);
            String hotSite = one(s, line.get("hotBlocks")).get("site").asText();
            assertThat(amp.get(0).title()).isEqualTo("Read amplification on " + hot
                    + ": 78.1 MiB read from 252.0 KiB of distinct ranges (317.5x)");
            assertThat(amp.get(0).evidence()).containsEntry("target", hot).containsEntry("sites", List.of(hotSite))
                    .containsEntry("readBytes", 81_920_000L).containsEntry("distinctBytes", 63L * 4096)
                    .containsEntry("basis", "distinctRanges");
            expect(s, line.get("journalWrite"), "com.acme.iotest.KnownIo.journal", "file", "write", p.value("journal"),
                    5, 5000, "sequential");
            expect(s, line.get("journalForce"), "com.acme.iotest.KnownIo.journal", "file", "force", p.value("journal"),
                    5, 0, "n/a");
            expect(s, line.get("transfer"), "com.acme.iotest.KnownIo.transfer", "file", "transfer", log, 1, 128000,
                    "sequential");
            // Files.copy(Path, Path) copies in native code: one transfer on the source, with the bytes copied
            expect(s, line.get("filesCopy"), "com.acme.iotest.KnownIo.transfer", "file", "transfer", log, 1, 128000,
                    "n/a");
            // AsynchronousFileChannel, Future and CompletionHandler forms: counted once each, at the caller's line
            String asyncF = p.value("asyncFuture");
            String asyncH = p.value("asyncHandler");
            String asyncSite = "com.acme.iotest.KnownIo.asyncChannels";
            expect(s, line.get("asyncFutureWrite"), asyncSite, "file", "write", asyncF, 10, 5120, "sequential");
            expect(s, line.get("asyncHandlerWrite"), asyncSite, "file", "write", asyncH, 5, 1280, "sequential");
            expect(s, line.get("asyncFutureRead"), asyncSite, "file", "read", asyncF, 10, 5120, "sequential");
            expect(s, line.get("asyncHandlerRead"), asyncSite, "file", "read", asyncH, 5, 1280, "sequential");
            // the transfer's inner primitives (if the JDK falls back to read/write) are not counted again
            for (JsonNode cs : s.get("callSites")) {
                assertThat(cs.get("target").asText()).isNotEqualTo(p.value("copy"));
            }
            // System.out's FileOutputStream is built from a FileDescriptor: named (stdout), with every byte the host
            // printed (the pipe to this test saw them all); nothing is left as an anonymous (fd)
            long printed = 0;
            for (JsonNode cs : s.get("callSites")) {
                assertThat(cs.get("target").asText()).isNotEqualTo("(fd)");
                if (cs.get("target").asText().equals("(stdout)")) {
                    assertThat(cs.get("op").asText()).isEqualTo("write");
                    assertThat(cs.get("site").asText()).startsWith("com.acme.iotest.KnownIo.");
                    printed += cs.get("bytes").asLong();
                }
            }
            assertThat(printed).isEqualTo(p.stdoutBytes()).isGreaterThan(0);
            // 64 threads on one channel: exact totals
            JsonNode many = one(s, line.get("manyThreads"));
            assertThat(many.get("site").asText()).startsWith("com.acme.iotest.KnownIo.lambda$manyThreads$");
            assertThat(many.get("count").asLong()).isEqualTo(64 * 200);
            assertThat(many.get("bytes").asLong()).isEqualTo(64 * 200 * 100);
            assertThat(many.get("target").asText()).isEqualTo(p.value("shared"));

            if (jdk.equals("25")) {
                // virtual threads: 8 files, 100 writes of 32 bytes each, all from one line
                assertThat(p.value("virtual")).isEqualTo("8");
                List<JsonNode> vt = AgentProcess.at(s, line.get("virtualWrite"));
                assertThat(vt).hasSize(8);
                assertThat(sum(s, line.get("virtualWrite"), "count")).isEqualTo(800);
                assertThat(sum(s, line.get("virtualWrite"), "bytes")).isEqualTo(25600);
            } else {
                assertThat(p.value("virtual")).isNull();
            }

            String peer = "127.0.0.1:" + port;
            expect(s, line.get("accept"), "com.acme.iotest.KnownIo.lambda$sockets$", "socket", "accept", peer, 1, 0,
                    "n/a");
            expect(s, line.get("connect"), "com.acme.iotest.KnownIo.sockets", "socket", "connect", peer, 1, 0, "n/a");
            expect(s, line.get("clientWrite"), "com.acme.iotest.KnownIo.sockets", "socket", "write", peer, 100, 25600,
                    "n/a");
            // the accepted connection's target is its client's host, not the client's ephemeral port
            String client = "127.0.0.1 (client of :" + port + ")";
            assertThat(sum(s, line.get("serverRead"), "bytes")).isEqualTo(25600);
            assertThat(AgentProcess.at(s, line.get("serverRead"))).extracting(c -> c.get("target").asText())
                    .containsOnly(client);
            assertThat(sum(s, line.get("clientRead"), "bytes")).isEqualTo(10);
            JsonNode serverWrite = one(s, line.get("serverWrite"));
            assertThat(serverWrite.get("count").asLong()).isEqualTo(1);
            assertThat(serverWrite.get("bytes").asLong()).isEqualTo(10);
            assertThat(serverWrite.get("target").asText()).isEqualTo(client);

            String channelPeer = "127.0.0.1:" + channelPort;
            expect(s, line.get("channelAccept"), "com.acme.iotest.KnownIo.lambda$socketChannels$", "socket", "accept",
                    channelPeer, 1, 0, "n/a");
            expect(s, line.get("channelConnect"), "com.acme.iotest.KnownIo.socketChannels", "socket", "connect",
                    channelPeer, 1, 0, "n/a");
            expect(s, line.get("channelWrite"), "com.acme.iotest.KnownIo.socketChannels", "socket", "write",
                    channelPeer, 50, 5000, "n/a");
            assertThat(sum(s, line.get("channelRead"), "bytes")).isEqualTo(5000);
            assertThat(AgentProcess.at(s, line.get("channelRead"))).extracting(c -> c.get("target").asText())
                    .containsOnly("127.0.0.1 (client of :" + channelPort + ")");

            // JFR: one hotpath.Io event per operation of the writeLog site (threshold 0)
            long events = 0;
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                if (e.getEventType().getName().equals("hotpath.Io")
                        && e.getString("site").endsWith("(KnownIo.java:" + line.get("writeLog") + ")")) {
                    assertThat(e.getString("op")).isEqualTo("write");
                    assertThat(e.getLong("bytes")).isEqualTo(128);
                    events++;
                }
            }
            assertThat(events).isEqualTo(1000);
        }
    }

    @Test
    void maxSitesFoldsOverflowIntoOtherAndCountsDropped() throws Exception {
        Path snapshot = dir.resolve("snapshot.json");
        try (AgentProcess p = AgentProcess.start(AgentProcess.JDK17,
                List.of(AgentProcess.agentArg("snapshot=" + snapshot + ",maxSites=3")), dir.toString())) {
            p.awaitLine("done");
            assertThat(p.waitFor()).isZero();
            JsonNode s = AgentProcess.read(snapshot);
            String log = p.value("log");
            java.util.Set<String> named = new java.util.TreeSet<>();
            List<String> logKeys = new ArrayList<>();
            long other = 0;
            for (JsonNode cs : s.get("callSites")) {
                String target = cs.get("target").asText();
                if (target.equals("(other)")) {
                    other += cs.get("count").asLong();
                    continue;
                }
                named.add(cs.get("kind").asText() + " " + target);
                if (target.equals(log)) {
                    String site = cs.get("site").asText();
                    logKeys.add(site.substring(0, site.indexOf('(')) + " " + cs.get("op").asText() + " "
                            + cs.get("count").asLong() + " " + cs.get("bytes").asLong());
                }
            }
            // the cap is on (site, target) pairs and decided per target: the first three targets (the class file
            // the JVM reads, stdout, the log) are named, and every op on the log stays named from every site
            assertThat(named).hasSize(3).contains("file " + log);
            assertThat(logKeys).containsExactlyInAnyOrder(
                    "com.acme.iotest.KnownIo.writeLog write 1000 128000",
                    "com.acme.iotest.KnownIo.readLog read 33 128000",
                    "com.acme.iotest.KnownIo.randomReads read 20 10240",
                    "com.acme.iotest.KnownIo.positionalReads read 10 40960",
                    "com.acme.iotest.KnownIo.transfer transfer 1 128000",
                    "com.acme.iotest.KnownIo.transfer transfer 1 128000"); // the channel's and Files.copy's
            assertThat(other).isGreaterThan(1000);
            assertThat(s.get("dropped").asLong()).isEqualTo(other);
        }
    }

    /**
     * {@code include}/{@code exclude} choose call sites by class prefix; the operations with no application frame (here
     * the JVM's class loader reading {@code KnownIo.class}) are the site {@code (jdk)}, chosen by that name: left out
     * when {@code include} does not list it, or when {@code exclude} does.
     */
    @Test
    void includeAndExcludeChooseSitesByClassPrefixAndTheJdksOwnByName() throws Exception {
        Map<String, Integer> line = AgentProcess.siteLines();
        JsonNode included = run("include=com.acme.iotest.", "included");
        List<String> includedKeys = siteKindOps(included);
        assertThat(includedKeys).hasSize(28).contains("com.acme.iotest.KnownIo.main (stdout) file write")
                .allMatch(k -> k.startsWith("com.acme.iotest.KnownIo."));
        expect(included, line.get("writeLog"), "com.acme.iotest.KnownIo.writeLog", "file", "write",
                dir.resolve("included/seg-001.log").toAbsolutePath().toString(), 1000, 128000, "sequential");
        assertThat(included.get("dropped").asLong()).isZero();

        // exclude=(jdk) leaves out the class file read, and only it
        assertThat(siteKindOps(run("exclude=(jdk)", "excluded"))).isEqualTo(includedKeys);

        JsonNode jdk = run("include=(jdk)", "jdk");
        Path classFile = Path.of(com.acme.iotest.KnownIo.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).resolve("com/acme/iotest/KnownIo.class");
        assertThat(jdk.get("callSites")).hasSize(1);
        JsonNode cs = jdk.get("callSites").get(0);
        assertThat(cs.get("site").asText() + " " + cs.get("kind").asText() + " " + cs.get("op").asText() + " "
                + cs.get("target").asText() + " " + cs.get("bytes").asLong() + " " + cs.get("pattern").asText())
                .isEqualTo("(jdk) file read " + classFile.toAbsolutePath() + " " + Files.size(classFile)
                        + " sequential");
    }

    /** KnownIo's snapshot with these agent options; it does its I/O in {@code dir/name}. */
    private JsonNode run(String options, String name) throws Exception {
        Path in = Files.createDirectory(dir.resolve(name));
        Path snapshot = dir.resolve(name + ".json");
        try (AgentProcess p = AgentProcess.start(AgentProcess.JDK17,
                List.of(AgentProcess.agentArg("snapshot=" + snapshot + "," + options)), in.toString())) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            return AgentProcess.read(snapshot);
        }
    }

    /**
     * Each key's site, kind and op, sorted and distinct. KnownIo prints to stdout from several lines of {@code main}, and
     * a stream used from several sites is split between them by sampled walks (a random gap, seeded per thread): which
     * of main's lines a print lands on varies from run to run, so stdout's keys are named by method, without the line.
     */
    private static List<String> siteKindOps(JsonNode s) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (JsonNode cs : s.get("callSites")) {
            String site = cs.get("site").asText();
            if (cs.get("target").asText().equals("(stdout)")) {
                site = site.substring(0, site.indexOf('(')) + " (stdout)";
            }
            keys.add(site + " " + cs.get("kind").asText() + " " + cs.get("op").asText());
        }
        return new ArrayList<>(keys);
    }

    @Test
    void aFailureInsideTheAgentDisablesRecordingAndTheHostRunsOn() throws Exception {
        Path snapshot = dir.resolve("snapshot.json");
        try (AgentProcess p = AgentProcess.start(AgentProcess.JDK17, List.of("-Dhotpath.agent.testFailAt=3",
                AgentProcess.agentArg("snapshot=" + snapshot)), dir.toString())) {
            p.awaitLine("done");
            assertThat(p.waitFor()).isZero();
            assertThat(p.value("log")).isNotNull();
            assertThat(p.stderr().lines().filter(l -> l.startsWith("hotpath-agent:")).toList()).containsExactly(
                    "hotpath-agent: I/O recording disabled after an internal error: "
                            + "java.lang.IllegalStateException: forced by hotpath.agent.testFailAt=3");
            JsonNode s = AgentProcess.read(snapshot);
            long total = 0;
            for (JsonNode cs : s.get("callSites")) {
                total += cs.get("count").asLong();
            }
            assertThat(total).isEqualTo(2);
            assertThat(Files.size(dir.resolve("seg-001.log"))).isEqualTo(128000);
        }
    }

    static void expect(JsonNode s, int line, String method, String kind, String op, String target, long count,
                       long bytes, String pattern) {
        // the line may also cause JDK-internal I/O of another kind or op (net.properties on the first connect)
        List<JsonNode> at = AgentProcess.at(s, line).stream()
                .filter(c -> c.get("kind").asText().equals(kind) && c.get("op").asText().equals(op)).toList();
        assertThat(at).as("%s %s call sites at KnownIo.java:%d in %s", kind, op, line, s).hasSize(1);
        JsonNode cs = at.get(0);
        assertThat(cs.get("site").asText()).as("site").startsWith(method);
        assertThat(cs.get("site").asText()).matches("[\\w.$]+\\(KnownIo\\.java:" + line + "\\)");
        assertThat(cs.get("kind").asText()).as("kind at line %d", line).isEqualTo(kind);
        assertThat(cs.get("op").asText()).as("op at line %d", line).isEqualTo(op);
        assertThat(cs.get("target").asText()).as("target at line %d", line).isEqualTo(target);
        assertThat(cs.get("count").asLong()).as("count at line %d", line).isEqualTo(count);
        assertThat(cs.get("bytes").asLong()).as("bytes at line %d", line).isEqualTo(bytes);
        assertThat(cs.get("pattern").asText()).as("pattern at line %d", line).isEqualTo(pattern);
        JsonNode l = cs.get("latencyNanos");
        assertThat(l.get("p50").asLong()).isPositive();
        assertThat(l.get("p50").asLong()).isLessThanOrEqualTo(l.get("p90").asLong());
        assertThat(l.get("p90").asLong()).isLessThanOrEqualTo(l.get("p99").asLong());
        assertThat(l.get("p99").asLong()).isLessThanOrEqualTo(l.get("p999").asLong());
        assertThat(l.get("p999").asLong()).isLessThanOrEqualTo(l.get("max").asLong());
    }

    /** Block indexes {@code from, from + step, ...} ({@code n} of them). */
    static long[] blocks(long from, int n, long step) {
        long[] b = new long[n];
        for (int i = 0; i < n; i++) {
            b[i] = from + i * step;
        }
        return b;
    }

    /**
     * The key at {@code line} exports the distinct bytes linear counting gives for {@code blocks} with the agent's
     * hash, capped at its bytes. The oracle, written from DistinctBlocks' documented scheme (the IT sees only the
     * shaded agent, not its bootstrap classes): block b is at lane {@code b & 7} of region {@code b >>> 3}; the region's
     * {@code h = fmix64(region)} (MurmurHash3's finalizer) picks word {@code h >>> 57} of 128 and, in the lane's byte of
     * it, bit {@code (h >>> 3 lane) & 7}; the estimate is the lanes' {@code -1024 ln(clearBits / 1024)} summed and
     * rounded; {@code estimate} is that value, stated so that a change of hash or bitmap shows here.
     */
    static void expectDistinct(JsonNode s, int line, long[] blocks, long estimate) {
        java.util.BitSet bits = new java.util.BitSet();
        for (long b : blocks) {
            long h = b >>> 3;
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            int lane = (int) (b & 7);
            bits.set((int) (h >>> 57) * 64 + lane * 8 + (int) (h >>> 3 * lane & 7));
        }
        double sum = 0;
        for (int lane = 0; lane < 8; lane++) {
            int zeros = 1024;
            for (int word = 0; word < 128; word++) {
                zeros -= bits.get(word * 64 + lane * 8, word * 64 + lane * 8 + 8).cardinality();
            }
            sum += -1024 * Math.log(zeros / 1024.0);
        }
        long oracle = Math.round(sum);
        assertThat(oracle).as("oracle at line %d", line).isEqualTo(estimate);
        JsonNode cs = one(s, line);
        assertThat(cs.get("distinctBytes").asLong()).as("distinctBytes at line %d", line)
                .isEqualTo(Math.min(cs.get("bytes").asLong(), oracle * 4096));
        assertThat(cs.has("distinctSaturated")).isFalse();
    }

    static JsonNode one(JsonNode s, int line) {
        List<JsonNode> at = AgentProcess.at(s, line);
        assertThat(at).as("call sites at KnownIo.java:%d in %s", line, s).hasSize(1);
        return at.get(0);
    }

    static long sum(JsonNode s, int line, String field) {
        long total = 0;
        for (JsonNode cs : AgentProcess.at(s, line)) {
            total += cs.get(field).asLong();
        }
        return total;
    }
}
