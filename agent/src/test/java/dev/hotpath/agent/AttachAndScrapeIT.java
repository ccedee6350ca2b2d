package dev.hotpath.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dynamic attach to a running JVM (JDK 17 and 25), and a real Prometheus scraping the agent's {@code /metrics}: the
 * scraped values equal the agent's own {@code /snapshot}.
 */
class AttachAndScrapeIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"17", "25"})
    void attachRetransformsLoadedClassesAndRecords(String jdk) throws Exception {
        String java = jdk.equals("17") ? AgentProcess.JDK17 : AgentProcess.JDK25;
        Path snapshot = dir.resolve("attached.json");
        Map<String, Integer> line = AgentProcess.siteLines();
        try (AgentProcess p = AgentProcess.start(java, List.of(), dir.toString(), "wait")) {
            attachAndRun(p, snapshot);
            JsonNode s = AgentProcess.read(snapshot);
            KnownIoAgentIT.expect(s, line.get("writeLog"), "com.acme.iotest.KnownIo.writeLog", "file", "write",
                    p.value("log"), 1000, 128000, "sequential");
            KnownIoAgentIT.expect(s, line.get("clientWrite"), "com.acme.iotest.KnownIo.sockets", "socket", "write",
                    "127.0.0.1:" + p.value("port"), 100, 25600, "n/a");
            KnownIoAgentIT.expect(s, line.get("positionalReads"), "com.acme.iotest.KnownIo.positionalReads", "file",
                    "read", p.value("log"), 10, 40960, "sequential");
        }
    }

    /**
     * A connection the server accepted before the agent was attached is still keyed by its client's host: the agent
     * learns the listening ports from the kernel's TCP table when it starts, not only at later accepts (there are none
     * here).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"17", "25"})
    void aConnectionAcceptedBeforeTheAttachIsKeyedByItsClient(String jdk) throws Exception {
        String java = jdk.equals("17") ? AgentProcess.JDK17 : AgentProcess.JDK25;
        Path snapshot = dir.resolve("listening.json");
        Map<String, Integer> line = AgentProcess.siteLines("ListeningHost.java");
        try (AgentProcess p = AgentProcess.startMain(java, List.of(), "com.acme.iotest.ListeningHost")) {
            attachAndRun(p, snapshot);
            assertThat(p.value("read")).isEqualTo("1000");
            String port = p.value("port");
            JsonNode s = AgentProcess.read(snapshot);
            List<JsonNode> reads = AgentProcess.at(s, "ListeningHost.java", line.get("serverRead"));
            assertThat(reads).extracting(c -> c.get("target").asText()).containsOnly(
                    "127.0.0.1 (client of :" + port + ")");
            assertThat(reads.stream().mapToLong(c -> c.get("bytes").asLong()).sum()).isEqualTo(1000);
            List<JsonNode> writes = AgentProcess.at(s, "ListeningHost.java", line.get("clientWrite"));
            assertThat(writes).extracting(c -> c.get("target").asText() + " " + c.get("count").asLong() + " "
                    + c.get("bytes").asLong()).containsExactly("127.0.0.1:" + port + " 10 1000");
        }
    }

    /** The attach hosts' protocol: attach once the host is ready, let it do its I/O, and see it exit cleanly. */
    private static void attachAndRun(AgentProcess p, Path snapshot) throws Exception {
        p.awaitLine("ready");
        p.attach("snapshot=" + snapshot);
        p.send("go");
        p.awaitLine("done");
        p.send("exit");
        assertThat(p.waitFor()).as(p.stderr()).isZero();
    }

    @Test
    void prometheusScrapesTheSameNumbersAsTheSnapshot() throws Exception {
        int agentPort = freePort();
        int promPort = freePort();
        Path snapshot = dir.resolve("periodic.json");
        try (AgentProcess p = AgentProcess.start(AgentProcess.JDK17, List.of(
                AgentProcess.agentArg("port=" + agentPort + ",snapshot=" + snapshot + ",interval=1s,timing=1")),
                dir.toString(), "wait")) {
            p.awaitLine("ready");
            p.send("go");
            p.awaitLine("done");
            Instant ioDone = Instant.now();

            // the periodic snapshot appears while the JVM still runs
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!snapshotHasWriteLog(snapshot) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(snapshotHasWriteLog(snapshot)).as("periodic snapshot %s", snapshot).isTrue();

            JsonNode served = AgentProcess.JSON.readTree(get("http://127.0.0.1:" + agentPort + "/snapshot"));
            String metrics = get("http://127.0.0.1:" + agentPort + "/metrics");
            String writeLog = "com.acme.iotest.KnownIo.writeLog(KnownIo.java:"
                    + AgentProcess.siteLines().get("writeLog") + ")";
            assertThat(metrics).contains("hotpath_io_operations_total{kind=\"file\",op=\"write\",site=\""
                    + writeLog + "\",target=\"" + p.value("log") + "\"} 1000\n");
            assertThat(metrics).contains("hotpath_io_latency_seconds_count{kind=\"file\",op=\"write\",site=\""
                    + writeLog + "\",target=\"" + p.value("log") + "\"} 1000\n");

            Process prom = startPrometheus(promPort, agentPort);
            try {
                awaitScrapeAfter(promPort, ioDone);
                Map<String, Long> ops = query(promPort, "hotpath_io_operations_total");
                Map<String, Long> bytes = query(promPort, "hotpath_io_bytes_total");
                Map<String, Long> counts = query(promPort, "hotpath_io_latency_seconds_count");
                Map<String, Long> distinct = query(promPort, "hotpath_io_distinct_bytes");
                int compared = 0;
                int comparedDistinct = 0;
                for (JsonNode cs : served.get("callSites")) {
                    String site = cs.get("site").asText();
                    if (!site.startsWith("com.acme.")) {
                        continue; // JDK-internal sites may still move between the two reads
                    }
                    String key = cs.get("kind").asText() + "|" + cs.get("op").asText() + "|" + site + "|"
                            + cs.get("target").asText();
                    assertThat(ops.get(key)).as("operations of %s", key).isEqualTo(cs.get("count").asLong());
                    assertThat(bytes.get(key)).as("bytes of %s", key).isEqualTo(cs.get("bytes").asLong());
                    assertThat(counts.get(key)).as("histogram count of %s", key).isEqualTo(cs.get("count").asLong());
                    if (cs.has("distinctBytes")) {
                        assertThat(distinct.get(key)).as("distinct bytes of %s", key)
                                .isEqualTo(cs.get("distinctBytes").asLong());
                        comparedDistinct++;
                    } else {
                        assertThat(distinct).as("distinct bytes of %s", key).doesNotContainKey(key);
                    }
                    compared++;
                }
                assertThat(compared).isGreaterThanOrEqualTo(15);
                // readLog, randomReads, positionalReads, hotBlocks, scanOnce, asyncFutureRead, asyncHandlerRead
                assertThat(comparedDistinct).isGreaterThanOrEqualTo(6);
                String hotBlocks = "com.acme.iotest.KnownIo.rereads(KnownIo.java:"
                        + AgentProcess.siteLines().get("hotBlocks") + ")";
                // 64 blocks re-read 20,000 times; two of them share a bit (KnownIoAgentIT)
                assertThat(distinct.get("file|read|" + hotBlocks + "|" + p.value("hot"))).isEqualTo(63L * 4096);
                assertThat(ops.get("file|write|" + writeLog + "|" + p.value("log"))).isEqualTo(1000L);
                // the agent's own server (its accepts, its reads and writes of the scrapes) is not recorded
                List<String> own = new java.util.ArrayList<>();
                for (JsonNode cs : AgentProcess.JSON.readTree(get("http://127.0.0.1:" + agentPort + "/snapshot"))
                        .get("callSites")) {
                    if (cs.get("kind").asText().equals("socket") && cs.get("target").asText()
                            .contains(":" + agentPort)) {
                        own.add(cs.get("site").asText() + " " + cs.get("op").asText() + " " + cs.get("target").asText());
                    }
                }
                assertThat(own).isEmpty();
            } finally {
                prom.destroyForcibly().waitFor();
            }
            p.send("exit");
            assertThat(p.waitFor()).isZero();
        }
    }

    private static boolean snapshotHasWriteLog(Path snapshot) throws IOException {
        if (!Files.exists(snapshot)) {
            return false;
        }
        return Files.readString(snapshot).contains("KnownIo.writeLog(");
    }

    private Process startPrometheus(int promPort, int agentPort) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "scrape_configs:\n  - job_name: hotpath\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + agentPort + "']\n");
        return new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    /** Polls /api/v1/targets until the agent target is up and was scraped after {@code after}. */
    private void awaitScrapeAfter(int promPort, Instant after) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = get("http://127.0.0.1:" + promPort + "/api/v1/targets");
                JsonNode targets = AgentProcess.JSON.readTree(last).path("data").path("activeTargets");
                for (JsonNode t : targets) {
                    String lastScrape = t.path("lastScrape").asText("");
                    if (t.path("health").asText().equals("up") && !lastScrape.startsWith("0001")
                            && Instant.parse(lastScrape).isAfter(after.plusSeconds(1))) {
                        return;
                    }
                }
            } catch (IOException notYetUp) {
                // Prometheus still starting
            }
            Thread.sleep(300);
        }
        throw new AssertionError("Prometheus never scraped the agent: " + last + "\n"
                + Files.readString(dir.resolve("prometheus.log")));
    }

    private static Map<String, Long> query(int promPort, String expr) throws Exception {
        String body = get("http://127.0.0.1:" + promPort + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        Map<String, Long> out = new HashMap<>();
        for (JsonNode r : AgentProcess.JSON.readTree(body).path("data").path("result")) {
            JsonNode m = r.get("metric");
            String key = m.path("kind").asText() + "|" + m.path("op").asText() + "|" + m.path("site").asText() + "|"
                    + m.path("target").asText();
            out.put(key, (long) Double.parseDouble(r.get("value").get(1).asText()));
        }
        return out;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " -> " + r.statusCode());
        }
        return r.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
