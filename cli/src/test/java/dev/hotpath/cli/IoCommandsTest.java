package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.UnusableInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hotpath io}, {@code agent-path} and {@code attach}, run as the CLI runs them, against real files and JVMs. */
class IoCommandsTest {
    static final Path AGENT_JAR = Paths.get("../agent/target/hotpath-agent.jar").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void clearProperty() {
        System.clearProperty("hotpath.agent.jar");
    }

    private int run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // the top-level policy of HotpathCommand: unusable input -> its one-line message, exit 3
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            if (ex instanceof UnusableInputException) {
                c.getErr().println(ex.getMessage());
                return 3;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    private Path snapshot() throws Exception {
        return Files.writeString(dir.resolve("snap.json"), "{\"pid\":77,\"startedAt\":\"2026-11-25T10:00:00Z\","
                + "\"capturedAt\":\"2026-11-25T10:00:10Z\",\"dropped\":0,\"callSites\":[{\"site\":"
                + "\"com.acme.Log.append(Log.java:88)\",\"kind\":\"file\",\"op\":\"write\",\"target\":\"/data/seg.log\","
                + "\"count\":10000,\"bytes\":1280000,\"latencyNanos\":{\"p50\":1500,\"p90\":2000,\"p99\":4000,"
                + "\"p999\":9000,\"max\":20000},\"pattern\":\"sequential\"}]}");
    }

    @Test
    void ioPrintsHotSitesAndFindings() throws Exception {
        Path snap = snapshot();
        assertThat(run(new IoCommand(), snap.toString())).isZero();
        assertThat(out.toString()).isEqualTo(String.join("\n",
                "agent snapshot of pid 77, 2026-11-25T10:00:00Z .. 2026-11-25T10:00:10Z (10.0 s), 1 call sites,"
                        + " 0 operations dropped",
                "",
                "kind       op             count        bytes     distinct    amplif        p50        p99 pattern    "
                        + "site -> target",
                "file       write          10000      1280000                             1.5us      4.0us sequential "
                        + "com.acme.Log.append(Log.java:88) -> /data/seg.log",
                "",
                "[warning] io.small-writes: Small writes at com.acme.Log.append(Log.java:88): 10000 writes of 128.0"
                        + " bytes on average to /data/seg.log",
                "    10000 file writes moved 1280000 bytes (128.0 bytes per write, p50 1.5 us, p99 4.0 us each)."
                        + " Every write is a system call, so the per-call cost, not the data, dominates.",
                "    -> Buffer the writes at com.acme.Log.append(Log.java:88): wrap the stream in a"
                        + " BufferedOutputStream of 64 KiB or more, or batch records into one ByteBuffer per write,"
                        + " and flush at record-group boundaries.",
                ""));
    }

    /** Three read keys: one re-reading a few blocks, one with a saturated estimate, one socket (no estimate). */
    private Path readsSnapshot() throws Exception {
        String lat = ",\"latencyNanos\":{\"p50\":20000,\"p90\":40000,\"p99\":90000,\"p999\":99000,\"max\":120000}";
        return Files.writeString(dir.resolve("reads.json"), "{\"pid\":78,\"startedAt\":\"2026-11-25T10:00:00Z\","
                + "\"capturedAt\":\"2026-11-25T10:01:00Z\",\"dropped\":0,\"callSites\":["
                + "{\"site\":\"com.acme.Index.lookup(Index.java:41)\",\"kind\":\"file\",\"op\":\"read\","
                + "\"target\":\"/data/idx.bin\",\"count\":10160,\"bytes\":41615360" + lat
                + ",\"pattern\":\"random\",\"distinctBytes\":131072},"
                + "{\"site\":\"com.acme.Scan.all(Scan.java:12)\",\"kind\":\"file\",\"op\":\"read\","
                + "\"target\":\"/data/big.dat\",\"count\":4096,\"bytes\":1073741824" + lat
                + ",\"pattern\":\"sequential\",\"distinctBytes\":162807808,\"distinctSaturated\":true},"
                + "{\"site\":\"com.acme.Net.recv(Net.java:7)\",\"kind\":\"socket\",\"op\":\"read\","
                + "\"target\":\"10.0.0.5:9000\",\"count\":500,\"bytes\":512000" + lat + ",\"pattern\":\"n/a\"}]}");
    }

    @Test
    void ioShowsTheDistinctBytesAndAmplificationOfReadRows() throws Exception {
        Path snap = readsSnapshot();
        assertThat(run(new IoCommand(), snap.toString())).isZero();
        assertThat(out.toString()).isEqualTo(String.join("\n",
                "agent snapshot of pid 78, 2026-11-25T10:00:00Z .. 2026-11-25T10:01:00Z (60.0 s), 3 call sites,"
                        + " 0 operations dropped",
                "",
                "kind       op             count        bytes     distinct    amplif        p50        p99 pattern    "
                        + "site -> target",
                "file       read           10160     41615360       131072    317.5x     20.0us     90.0us random     "
                        + "com.acme.Index.lookup(Index.java:41) -> /data/idx.bin",
                // a saturated estimate is a lower bound of the distinct bytes, so an upper bound of the amplification
                "file       read            4096   1073741824   ≥162807808     ≤6.6x     20.0us     90.0us sequential "
                        + "com.acme.Scan.all(Scan.java:12) -> /data/big.dat",
                "socket     read             500       512000                            20.0us     90.0us n/a        "
                        + "com.acme.Net.recv(Net.java:7) -> 10.0.0.5:9000",
                "",
                "[warning] io.random-reads: Random reads at com.acme.Index.lookup(Index.java:41): 10160 reads of 4096.0"
                        + " bytes on average from /data/idx.bin",
                "    No read continued where the previous one on its stream or channel ended; p50 20.0 us, p99 90.0 us"
                        + " per read.",
                "    -> If the data is consumed whole, read it sequentially in large chunks (1 MiB) and let read-ahead"
                        + " work; otherwise sort the offsets, coalesce neighbouring ranges, or cache the hot ones.",
                "[warning] io.read-amplification: Read amplification on /data/idx.bin: 39.7 MiB read from 128.0 KiB of"
                        + " distinct ranges (317.5x)",
                "    10160 reads at com.acme.Index.lookup(Index.java:41) read the same ranges 317.5 times over. Distinct"
                        + " ranges are the agent's estimate per site in 4 KiB blocks, so ranges re-read across sites are"
                        + " not counted.",
                "    -> Cache what com.acme.Index.lookup(Index.java:41) reads repeatedly (its distinct ranges total"
                        + " 128.0 KiB), or memory-map the file, or read each range once and share the result.",
                ""));
    }

    @Test
    void ioJsonFollowsTheFindingsContract() throws Exception {
        Path snap = snapshot();
        assertThat(run(new IoCommand(), snap.toString(), "--json")).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        JsonNode f = root.get("findings").get(0);
        assertThat(f.get("id").asText()).isEqualTo("io.small-writes");
        assertThat(f.get("severity").asText()).isEqualTo("warning");
        assertThat(f.get("category").asText()).isEqualTo("io");
        assertThat(f.get("evidence").get("count").asLong()).isEqualTo(10000);
        assertThat(f.get("sources").get(0).asText()).isEqualTo("snap.json");
        assertThat(root.get("artifacts").get(0).get("type").asText()).isEqualTo("agent-snapshot");
        assertThat(root.get("artifacts").get(0).get("callSites").asInt()).isEqualTo(1);
    }

    @Test
    void ioOnUnusableInputSaysWhichFileAndExits3() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"findings\":[]}");
        assertThat(run(new IoCommand(), bad.toString())).isEqualTo(3);
        assertThat(err.toString()).isEqualTo(bad + ": not an agent snapshot (no \"callSites\" array)\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void agentPathPrintsTheBuiltJar() {
        System.setProperty("hotpath.agent.jar", AGENT_JAR.toString());
        assertThat(run(new AgentPathCommand())).isZero();
        assertThat(out.toString()).isEqualTo(AGENT_JAR + "\n");
        assertThat(Files.isRegularFile(AGENT_JAR)).isTrue();
    }

    @Test
    void attachLoadsTheAgentIntoARunningJvm() throws Exception {
        System.setProperty("hotpath.agent.jar", AGENT_JAR.toString());
        Path data = dir.resolve("out.bin");
        Path snap = dir.resolve("attached.json");
        Process p = startWaiter(System.getProperty("java.home") + "/bin/java", data);
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("ready");
            assertThat(run(new AttachCommand(), Long.toString(p.pid()), "snapshot=" + snap)).as(err.toString())
                    .isZero();
            assertThat(out.toString()).startsWith("hotpath agent loaded into pid " + p.pid() + " (Java 17)");
            p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            assertThat(lines.readLine()).isEqualTo("done");
            p.getOutputStream().write("exit\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            JsonNode s = new ObjectMapper().readTree(snap.toFile());
            boolean found = false;
            for (JsonNode cs : s.get("callSites")) {
                if (cs.get("site").asText().equals("com.acme.cli.Waiter.main(Waiter.java:16)")) {
                    assertThat(cs.get("count").asLong()).isEqualTo(10);
                    assertThat(cs.get("bytes").asLong()).isEqualTo(640);
                    assertThat(cs.get("target").asText()).isEqualTo(data.toString());
                    found = true;
                }
            }
            assertThat(found).as(s.toString()).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void attachExplainsAJdk25RefusalOfDynamicAgents() throws Exception {
        System.setProperty("hotpath.agent.jar", AGENT_JAR.toString());
        Process p = new ProcessBuilder("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java", "-XX:-EnableDynamicAgentLoading",
                "-cp", System.getProperty("java.class.path"), "com.acme.cli.Waiter", dir.resolve("x").toString())
                .start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("ready");
            assertThat(run(new AttachCommand(), Long.toString(p.pid()))).isEqualTo(3);
            assertThat(err.toString()).startsWith("hotpath attach: pid " + p.pid() + " (Java 25) did not load the"
                    + " agent: ");
            assertThat(err.toString()).endsWith(". Java 21+ refuses dynamically loaded agents when run with"
                    + " -XX:-EnableDynamicAgentLoading: restart it with -XX:+EnableDynamicAgentLoading, or with"
                    + " -javaagent:<hotpath agent-path>\n");
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process startWaiter(String java, Path data) throws Exception {
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "com.acme.cli.Waiter",
                data.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
