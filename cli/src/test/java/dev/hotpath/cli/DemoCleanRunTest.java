package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hotpath demo --headless --clean}: the same services and load without faults must give no warning or
 * critical finding (warm-up, small responses, a busy machine are not faults). Runs the real demo once.
 */
class DemoCleanRunTest {
    @TempDir
    static Path dir;
    private static Cli.Result result;
    private static JsonNode findings;

    @BeforeAll
    static void runDemo() throws Exception {
        result = DemoRuns.run("demo", "--headless", "--clean", "--duration", "20s", "--run", "ci-clean", "--work-dir",
                dir.resolve("work").toString(), "--workspace", dir.resolve("ws").toString(), "--json",
                dir.resolve("clean.json").toString());
        findings = DemoRuns.findings(dir.resolve("clean.json"));
    }

    @Test
    void aCleanRunPlantsNothingAndIsSilent() {
        assertThat(result.exit()).as(result.err()).isEqualTo(0);
        assertThat(result.err()).contains("starting gateway, cache and ingest under hotpath record (faults: none)");
        List<String> actionable = new ArrayList<>();
        for (JsonNode f : findings) {
            if (!f.path("severity").asText().equals("info")) {
                actionable.add(f.path("severity").asText() + " " + f.path("id").asText() + ": " + f.path("title").asText());
            }
        }
        assertThat(actionable).as("warning/critical findings of a clean run").isEmpty();
        assertThat(findings.size()).as("the clean run is analysed (info findings only)").isGreaterThan(0);
    }
}
