package dev.hotpath.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.store.WorkspaceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dominator tree endpoint over a real dump: a small JVM keeps 20,000 entries in a static HashMap and dumps its
 * heap; the real pipeline analyses and stores it; expanding the class, then its map, reaches the map's table.
 */
class UiRealHeapDumpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROGRAM = """
            import java.util.HashMap;
            public class Leaky {
                static final HashMap<Integer, byte[]> LEAK = new HashMap<>();
                public static void main(String[] args) throws Exception {
                    for (int i = 0; i < 20_000; i++) LEAK.put(i, new byte[100]);
                    java.lang.management.ManagementFactory.getPlatformMXBean(
                            com.sun.management.HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aRealDumpsTreeExpandsFromTheClassToItsMapAndTable() throws Exception {
        Path src = Files.writeString(dir.resolve("Leaky.java"), PROGRAM);
        Path dump = dir.resolve("leaky.hprof");
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", src.toString(), dump.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        } finally {
            p.destroyForcibly();
        }
        try (WorkspaceStore store = WorkspaceStore.open(dir.resolve("ws").toString());
             UiServer server = UiServer.start(store, TestAnalyzers.storing(store), UiOptions.loopback(0, dir.resolve("up")))) {
            Run run = TestAnalyzers.storing(store).analyzeAndStore(List.of(dump), "real dump");
            String base = "http://127.0.0.1:" + server.port() + "/api/runs/" + run.id() + "/heap/dominators";
            JsonNode top = get(base);
            assertThat(top.get("heapBytes").asLong()).isPositive();
            // the class object of Leaky holds its static map: top-level, then the map, then the map's table
            JsonNode cls = null;
            for (JsonNode n : top.get("nodes")) {
                if (n.get("class").asText().equals("class Leaky")) {
                    cls = n;
                }
            }
            assertThat(cls).as("class Leaky among %s", top).isNotNull();
            assertThat(cls.get("children").asInt()).isEqualTo(1);
            JsonNode map = get(base + "?parent=" + cls.get("objectId").asText()).get("nodes").get(0);
            assertThat(map.get("class").asText()).isEqualTo("java.util.HashMap");
            // 20,000 byte[100] (116 B each with their header) and as many nodes and Integers: over 2 MB
            assertThat(map.get("retainedBytes").asLong()).isGreaterThan(2_000_000L).isLessThanOrEqualTo(cls.get("retainedBytes").asLong());
            assertThat(map.get("children").asInt()).isPositive();
            JsonNode children = get(base + "?parent=" + map.get("objectId").asText()).get("nodes");
            assertThat(children.size()).isEqualTo(map.get("children").asInt());
            assertThat(children.get(0).get("class").asText()).isEqualTo("java.util.HashMap$Node[]");
            long sum = 0;
            for (JsonNode c : children) {
                sum += c.get("retainedBytes").asLong();
            }
            assertThat(sum).isLessThanOrEqualTo(map.get("retainedBytes").asLong() - map.get("shallowBytes").asLong());
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
