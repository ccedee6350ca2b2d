package dev.hotpath.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JIT calls the recorder's entry points instead of inlining them into the instrumented JDK methods (see
 * {@code NotInlined}), on JDK 17 and JDK 25: the JIT's own inlining reports ({@code PrintInlining}) of
 * {@code FileOutputStream.write} and {@code FileChannelImpl.read}, compiled hot by a host's 128-byte writes and 4 KiB
 * positional reads, give "don't inline by annotation" for every call of {@code fileState}, {@code clock} and
 * {@code end} in them, and every operation is still counted.
 */
class NotInlinedIT {
    private static final int N = 200_000;
    /** A line of the report about a recorder entry point, e.g. {@code @ 98 ...Recorder::end (157 bytes) <decision>}. */
    private static final Pattern DECISION = Pattern.compile(
            "dev\\.hotpath\\.agent\\.bootstrap\\.Recorder::(fileState|clock|end) \\(\\d+ bytes\\)\\s+(.+)$");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void theRecordersEntryPointsAreCalledNotInlined(String jdk) throws Exception {
        String java = jdk.equals("17") ? AgentProcess.JDK17 : AgentProcess.JDK25;
        Path snapshot = dir.resolve("snapshot.json");
        // the inlining reports of the two instrumented methods' own compilations (C1's and C2's), nothing else;
        // -Xbatch: each compilation finishes before the loop goes on, so both compile them before the host exits
        List<String> jvm = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=PrintInlining,java.io.FileOutputStream::write",
                "-XX:CompileCommand=PrintInlining,sun.nio.ch.FileChannelImpl::read", "-Xbatch",
                AgentProcess.agentArg("snapshot=" + snapshot));
        List<String> out;
        try (AgentProcess p = AgentProcess.startMain(java, jvm, "com.acme.iotest.HotLoopHost", dir.toString(),
                Integer.toString(N))) {
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            out = p.remainingLines();
        }
        Map<String, TreeSet<String>> decisions = new TreeMap<>();
        for (String line : out) {
            Matcher m = DECISION.matcher(line);
            if (m.find()) {
                // JDK 25 writes "failed to inline: <reason>", JDK 17 the reason alone
                decisions.computeIfAbsent(m.group(1), k -> new TreeSet<>())
                        .add(m.group(2).trim().replace("failed to inline: ", ""));
            }
        }
        assertThat(decisions).as(String.join("\n", out)).isEqualTo(Map.of(
                "clock", new TreeSet<>(List.of("don't inline by annotation")),
                "end", new TreeSet<>(List.of("don't inline by annotation")),
                "fileState", new TreeSet<>(List.of("don't inline by annotation"))));

        JsonNode s = AgentProcess.read(snapshot);
        Map<String, Integer> line = AgentProcess.siteLines("HotLoopHost.java");
        List<JsonNode> writes = AgentProcess.at(s, "HotLoopHost.java", line.get("write"));
        List<JsonNode> reads = AgentProcess.at(s, "HotLoopHost.java", line.get("read"));
        assertThat(writes).hasSize(1);
        assertThat(reads).hasSize(1);
        String target = dir.resolve("hot.bin").toString();
        assertThat(key(writes.get(0))).isEqualTo("file write " + target + " " + N + " " + 128L * N);
        assertThat(key(reads.get(0))).isEqualTo("file read " + target + " " + N + " " + 4096L * N);
    }

    private static String key(JsonNode k) {
        return k.get("kind").asText() + " " + k.get("op").asText() + " " + k.get("target").asText() + " "
                + k.get("count").asLong() + " " + k.get("bytes").asLong();
    }
}
