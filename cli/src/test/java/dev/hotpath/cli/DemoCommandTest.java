package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotpath.analyzer.store.RunInfo;
import dev.hotpath.analyzer.store.WorkspaceStore;
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
 * analysis, storage. Runs once for the class (about a minute and a half on an idle machine) and the tests read its
 * output: every planted fault must be a warning or critical finding of its category naming the code it lives in.
 */
class DemoCommandTest {
    @TempDir
    static Path dir;
    private static Cli.Result result;
    private static JsonNode findings;

    @BeforeAll
    static void runDemo() throws Exception {
        result = DemoRuns.run("demo", "--headless", "--duration", "30s", "--run", "ci-demo", "--work-dir", dir.resolve("work").toString(),
                "--workspace", dir.resolve("ws").toString(), "--json", dir.resolve("demo.json").toString());
        findings = DemoRuns.findings(dir.resolve("demo.json"));
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
        assertThat(f.path("severity").asText()).isIn("warning", "critical");
        assertThat(f.path("title").asText()).startsWith("Small writes at dev.hotpath.samples.gateway.BodyWriter.writeOnce(BodyWriter.java:");
        assertThat(f.path("evidence").path("avgBytes").asDouble()).isBetween(200.0, 256.0);
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
        // one force per write, exactly: past the agent's share of named targets per site a file's write and force
        // keys are both named or both folded into their sites' (other) targets. The write site fills its share first;
        // the files of the requests then in flight reach the force site while it still has room, and the agent keeps
        // them folded there as they were at first sight (before, they were named there: CI saw 1.001, session 21)
        assertThat(f.path("evidence").path("forcesPerWrite").asDouble()).isEqualTo(1.0);
        assertThat(f.path("summary").asText()).contains("dev.hotpath.samples.gateway.BodyWriter.writeOnce(BodyWriter.java:");
    }

    @Test
    void heapLeakIsTheCachesAccessIndexGrowingBetweenItsDumps() {
        JsonNode f = actionable("heap.growth", "static dev.hotpath.samples.cache.ReadCache.active.accessIndex");
        assertThat(f.path("category").asText()).isEqualTo("heap");
        assertThat(f.path("evidence").path("holder").asText())
                .startsWith("static dev.hotpath.samples.cache.ReadCache.active.accessIndex");
        assertThat(f.path("evidence").path("growthBytes").asLong()).isGreaterThan(0);
        assertThat(f.path("sources").toString()).contains("heap-01.hprof").contains("heap-02.hprof");
    }

    @Test
    void nativeLeakIsNamedAtTheCompressorPoolsDeflaters() {
        JsonNode f = actionable("native.", "dev.hotpath.samples.ingest.CompressorPool.borrow");
        assertThat(f.path("category").asText()).isEqualTo("native");
    }

    @Test
    void lockContentionIsNamedAtThePartitionMap() {
        JsonNode f = actionable("locks.contention", "dev.hotpath.samples.ingest.PartitionMap.append");
        assertThat(f.path("evidence").path("lockClass").asText()).isEqualTo("dev.hotpath.samples.ingest.PartitionMap");
        assertThat(f.path("evidence").path("enteredInApp").asBoolean()).isTrue();
    }

    @Test
    void allocationChurnIsNamedAtTheGatewaysBodyWriter() {
        JsonNode f = actionable("allocation.hot-site", "dev.hotpath.samples.gateway.BodyWriter.writeChurning");
        assertThat(f.path("evidence").path("frame").asText()).isEqualTo("dev.hotpath.samples.gateway.BodyWriter.writeChurning");
    }

    /** The warning or critical finding whose id starts with {@code idPrefix} and whose title or summary names {@code culprit}. */
    private static JsonNode actionable(String idPrefix, String culprit) {
        List<String> seen = new ArrayList<>();
        for (JsonNode f : findings) {
            String text = f.path("title").asText() + " " + f.path("summary").asText();
            if (f.path("id").asText().startsWith(idPrefix) && !f.path("severity").asText().equals("info")
                    && text.contains(culprit)) {
                return f;
            }
            seen.add(f.path("severity").asText() + " " + f.path("id").asText() + ": " + f.path("title").asText());
        }
        throw new AssertionError("no warning/critical " + idPrefix + " naming " + culprit + " among:\n" + String.join("\n", seen));
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
