package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code analyze --jmc-rules} on a real JVM that calls System.gc() 5 times (G1 full collections): JMC's FullGc rule
 * appears as a finding with {@code "source": "jmc"}; without the flag no JMC finding appears.
 */
class AnalyzeJmcRulesTest {
    @TempDir
    static Path dir;
    static Path recording;

    @BeforeAll
    static void record() throws Exception {
        recording = AnalyzeJfrEndToEndTest.recordGcPauseApp(dir, 5);
    }

    static JsonNode analyze(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze", "--workspace", dir.resolve("ws").toString(), "--json",
                recording.toString()));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    static List<JsonNode> jmc(JsonNode root) {
        List<JsonNode> out = new ArrayList<>();
        root.get("findings").forEach(f -> {
            if (f.get("id").asText().startsWith("jmc.") || f.has("source")) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void jmcRulesAddJmcsFullGcFinding() throws Exception {
        JsonNode root = analyze("--jmc-rules");
        JsonNode fullGc = null;
        for (JsonNode f : jmc(root)) {
            assertThat(f.get("source").asText()).isEqualTo("jmc");
            if (f.get("id").asText().equals("jmc.FullGc")) {
                fullGc = f;
            }
        }
        assertThat(fullGc).as(root.toString()).isNotNull();
        assertThat(fullGc.get("severity").asText()).isEqualTo("warning");
        assertThat(fullGc.get("category").asText()).isEqualTo("gc");
        assertThat(fullGc.get("title").asText()).isEqualTo("G1/CMS Full Collection: Full GC detected.");
        assertThat(fullGc.get("evidence").toString())
                .isEqualTo("{\"score\":75.0,\"jmcSeverity\":\"WARNING\",\"jmcRule\":\"FullGc\",\"jmcTopic\":\"garbage_collection\"}");
        assertThat(fullGc.get("sources").toString()).isEqualTo("[\"recording.jfr\"]");
        assertThat(root.get("notes").toString()).contains("recording.jfr: JDK Mission Control's ")
                .contains(" rules ran (their recording loaded whole into memory); ");
        // hotpath's own finding on the same collections is still there, without a source field
        assertThat(root.get("findings").findValues("id").toString()).contains("\"gc.system-gc\"");
    }

    @Test
    void withoutTheFlagNoJmcFindingAppears() throws Exception {
        JsonNode root = analyze();
        assertThat(jmc(root)).isEmpty();
        assertThat(root.get("findings").findValues("id").toString()).contains("\"gc.system-gc\"");
        assertThat(root.get("notes").toString()).doesNotContain("Mission Control");
    }
}
