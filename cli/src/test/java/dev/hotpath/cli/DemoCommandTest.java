package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.store.RunInfo;
import dev.hotpath.analyzer.store.WorkspaceStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hotpath demo --headless} end to end: three real services under recording, real load, the default faults,
 * analysis, storage. Runs once for the class (about two minutes) and the tests read its output.
 */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Cli.Result result;
    private static JsonNode findings;
    private static String previousHome;

    @BeforeAll
    static void runDemo() throws Exception {
        previousHome = System.getProperty("hotpath.home");
        System.setProperty("hotpath.home", Path.of("..").toAbsolutePath().normalize().toString());
        result = Cli.run("demo", "--headless", "--duration", "30s", "--run", "ci-demo", "--work-dir", dir.resolve("work").toString(),
                "--workspace", dir.resolve("ws").toString(), "--json", dir.resolve("demo.json").toString());
        findings = JSON.readTree(dir.resolve("demo.json").toFile()).path("findings");
    }

    @AfterAll
    static void restore() {
        if (previousHome == null) {
            System.clearProperty("hotpath.home");
        } else {
            System.setProperty("hotpath.home", previousHome);
        }
    }

    @Test
    void demoExitsZeroStoresTheRunAndLeavesNoProcessBehind() throws Exception {
        assertThat(result.exit()).as(result.err()).isEqualTo(0);
        try (WorkspaceStore store = WorkspaceStore.open(dir.resolve("ws").toString())) {
            List<RunInfo> runs = store.list();
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).name()).isEqualTo("ci-demo");
            assertThat(runs.get(0).artifacts()).isGreaterThan(10);
        }
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("hotpath-samples.jar")))
                .isEmpty();
        try (var left = Files.list(dir.resolve("work"))) {
            assertThat(left).as("the demo's work directory is removed").isEmpty();
        }
        assertThat(result.err()).contains("starting gateway, cache and ingest under hotpath record (faults: small-writes,"
                + "fsync-per-write,heap-leak,native-leak,lock-contention,alloc-churn)");
    }

    @Test
    void smallWritesAreFoundAtTheGatewaysBodyWriter() {
        JsonNode f = first("io.small-writes");
        assertThat(f.path("category").asText()).isEqualTo("io");
        assertThat(f.path("title").asText()).startsWith("Small writes at dev.hotpath.samples.gateway.BodyWriter.");
    }

    @Test
    void eachIoFaultIsOneFindingPerCallSiteNotOnePerTempFile() {
        long forces = 0;
        for (JsonNode f : findings) {
            if (f.path("id").asText().equals("io.force-per-write")) {
                forces++;
            }
        }
        assertThat(forces).isEqualTo(1);
        assertThat(first("io.force-per-write").path("evidence").path("targets").asLong()).isGreaterThan(10);
    }

    @Test
    void fsyncPerWriteIsFoundAtTheGatewaysBodyWriter() {
        JsonNode f = first("io.force-per-write");
        assertThat(f.path("severity").asText()).isEqualTo("critical");
        assertThat(f.path("evidence").path("forcesPerWrite").asDouble()).isEqualTo(1.0);
        assertThat(f.path("summary").asText()).contains("dev.hotpath.samples.gateway.BodyWriter.writeOnce(BodyWriter.java:");
    }

    private static JsonNode first(String id) {
        List<String> ids = new ArrayList<>();
        for (JsonNode f : findings) {
            if (f.path("id").asText().equals(id)) {
                return f;
            }
            ids.add(f.path("id").asText());
        }
        throw new AssertionError("no finding " + id + " among " + ids);
    }
}
