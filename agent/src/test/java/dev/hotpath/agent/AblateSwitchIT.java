package dev.hotpath.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark switch {@code -Dhotpath.agent.ablate=} (GatewaySaturationHarness measures what each part of the
 * recorder costs a host with it): {@code detail} keeps each operation's key with its exact count and bytes and drops
 * its latency and access pattern; {@code keys} drops the keys too, so nothing reaches the snapshot; {@code distinct}
 * drops only the distinct-block marks of file reads. The host's own output is the same either way. AlternatingHost
 * writes one file from two lines, 16 bytes then three times 4 bytes per block; the split of the stream's writes
 * between the two lines is sampled, their sum is exact.
 */
class AblateSwitchIT {
    private static final int BLOCKS = 5_000;

    @TempDir
    Path dir;

    @Test
    void withoutDetailEachKeyKeepsItsExactCountAndBytesAndNoLatencyOrPattern() throws Exception {
        JsonNode snapshot = run("detail");
        Map<String, Integer> line = AgentProcess.siteLines("AlternatingHost.java");
        List<JsonNode> keys = new ArrayList<>();
        keys.addAll(AgentProcess.at(snapshot, "AlternatingHost.java", line.get("one")));
        keys.addAll(AgentProcess.at(snapshot, "AlternatingHost.java", line.get("three")));
        assertThat(keys).hasSize(2);
        long count = 0;
        long bytes = 0;
        for (JsonNode k : keys) {
            assertThat(k.get("kind").asText() + " " + k.get("op").asText() + " " + k.get("target").asText())
                    .isEqualTo("file write " + dir.resolve("mixed.bin"));
            assertThat(k.get("latencyNanos").toString())
                    .isEqualTo("{\"p50\":0,\"p90\":0,\"p99\":0,\"p999\":0,\"max\":0}");
            assertThat(k.get("latencyBuckets").size()).isZero();
            assertThat(k.get("pattern").asText()).isEqualTo("n/a");
            count += k.get("count").asLong();
            bytes += k.get("bytes").asLong();
        }
        assertThat(count).isEqualTo(4L * BLOCKS);
        assertThat(bytes).isEqualTo(BLOCKS * (16L + 3 * 4L));
    }

    @Test
    void withoutKeysNothingReachesTheSnapshot() throws Exception {
        JsonNode snapshot = run("keys");
        assertThat(snapshot.get("callSites").size()).isZero();
        assertThat(snapshot.get("dropped").asLong()).isZero();
    }

    @Test
    void withoutDistinctBlocksAReadKeyKeepsItsCountBytesPatternAndLatency() throws Exception {
        Path snapshot = dir.resolve("snapshot.json");
        Map<String, Integer> line = AgentProcess.siteLines();
        try (AgentProcess p = AgentProcess.start(AgentProcess.JDK17, List.of("-Dhotpath.agent.ablate=distinct",
                AgentProcess.agentArg("snapshot=" + snapshot)), dir.toString())) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            JsonNode s = AgentProcess.read(snapshot);
            String hot = p.value("hot");
            // KnownIo's rereads: 20,000 positional 4 KiB reads of 64 distinct blocks, then one scan of the file
            KnownIoAgentIT.expect(s, line.get("hotBlocks"), "com.acme.iotest.KnownIo.rereads", "file", "read", hot,
                    20_000, 20_000L * 4096, "random");
            KnownIoAgentIT.expect(s, line.get("scanOnce"), "com.acme.iotest.KnownIo.rereads", "file", "read", hot,
                    1025, 64L << 20, "sequential");
            // nothing marked, so no estimate: the row has no distinctBytes (with the marks: 63 and 16,433 blocks'
            // worth, KnownIoAgentIT)
            for (String site : List.of("hotBlocks", "scanOnce")) {
                assertThat(AgentProcess.at(s, line.get(site)).get(0).has("distinctBytes")).as(site).isFalse();
            }
        }
    }

    private JsonNode run(String ablate) throws Exception {
        Path snapshot = dir.resolve("snapshot.json");
        List<String> jvm = List.of("-Dhotpath.agent.ablate=" + ablate, AgentProcess.agentArg("snapshot=" + snapshot));
        try (AgentProcess p = AgentProcess.startMain(AgentProcess.JDK17, jvm, "com.acme.iotest.AlternatingHost",
                dir.toString(), Integer.toString(BLOCKS))) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
        }
        assertThat(Files.size(dir.resolve("mixed.bin"))).isEqualTo(BLOCKS * (16L + 3 * 4L));
        return AgentProcess.read(snapshot);
    }
}
