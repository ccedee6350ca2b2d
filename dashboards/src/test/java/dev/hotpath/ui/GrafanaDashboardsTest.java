package dev.hotpath.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every panel of {@code dashboards/grafana/*.json} runs its query against a real Prometheus (Debian's package) that
 * scrapes a real JVM running with the hotpath agent; each query must return data.
 */
class GrafanaDashboardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static Process host;
    private static Process prometheus;
    private static int promPort;

    @BeforeAll
    static void start() throws Exception {
        int agentPort = freePort();
        promPort = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        host = new ProcessBuilder(java, "-Xmx64m",
                "-javaagent:" + agentJar() + "=port=" + agentPort + ",interval=1s",
                "-cp", System.getProperty("java.class.path"), IoWorkload.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("host.log").toFile()).start();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n  - job_name: hotpath-host\n    static_configs:\n      - targets: ['127.0.0.1:" + agentPort + "']\n");
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        // Wait until the target has been scraped a few times, so that rate() over the window has two samples or more.
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode r = query("count_over_time(hotpath_io_operations_total[1m])");
            if (r != null && r.path("data").path("result").size() > 0
                    && r.path("data").path("result").get(0).path("value").get(1).asDouble() >= 4) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Prometheus did not scrape the agent: " + Files.readString(dir.resolve("prometheus.log"))
                + "\nhost: " + Files.readString(dir.resolve("host.log")));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : new Process[]{prometheus, host}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void everyPanelQueryReturnsData() throws Exception {
        Path dashboards = Path.of("grafana");
        List<String> failures = new ArrayList<>();
        int panels = 0;
        try (var files = Files.list(dashboards)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode panel : JSON.readTree(file.toFile()).path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        panels++;
                        String expr = target.path("expr").asText().replace("$job", ".*").replace("$__rate_interval", "30s");
                        JsonNode r = query(expr);
                        int series = r == null ? -1 : r.path("data").path("result").size();
                        if (series <= 0) {
                            failures.add(file.getFileName() + " / " + panel.path("title").asText() + ": " + expr + " → "
                                    + (r == null ? "error" : r));
                        }
                    }
                }
            }
        }
        assertThat(panels).isEqualTo(9);
        assertThat(failures).isEmpty();
    }

    @Test
    void writesAreCountedWithTheirCallSite() throws Exception {
        JsonNode r = query("sum by (site) (hotpath_io_operations_total{op=\"write\",kind=\"file\"})");
        java.util.Map<String, Double> bySite = new java.util.TreeMap<>();
        for (JsonNode series : r.path("data").path("result")) {
            bySite.put(series.path("metric").path("site").asText(), series.path("value").get(1).asDouble());
        }
        // IoWorkload.java line 23 prints "workload started" once (a write to stdout); line 28 is the 128-byte record write.
        assertThat(bySite.keySet()).containsExactly("dev.hotpath.ui.IoWorkload.main(IoWorkload.java:23)",
                "dev.hotpath.ui.IoWorkload.main(IoWorkload.java:28)");
        assertThat(bySite.get("dev.hotpath.ui.IoWorkload.main(IoWorkload.java:23)")).isEqualTo(1.0);
        assertThat(bySite.get("dev.hotpath.ui.IoWorkload.main(IoWorkload.java:28)")).isGreaterThanOrEqualTo(10.0);
    }

    private static JsonNode query(String promql) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + promPort + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return null; // Prometheus not listening yet
        }
    }

    private static String agentJar() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("hotpath-agent.jar")) {
                return entry;
            }
        }
        Path built = Path.of("..", "agent", "target", "hotpath-agent.jar").toAbsolutePath().normalize();
        if (Files.isRegularFile(built)) {
            return built.toString();
        }
        throw new AssertionError("the agent jar is not built: run `mvn verify` from the repository root");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
