package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.rules.RuleSettings;
import dev.hotpath.analyzer.rules.cpu.CpuSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.hotpath.analyzer.io.IoSnapshotFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * io.small-writes judges socket writes by how many there are per turn of the conversation (a small response written
 * in one call is a whole message, not a fragment), and io.slow-target does not blame the I/O for a tail on a machine
 * whose CPU was saturated.
 */
class IoMessagesAndSaturationTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private List<Finding> run(List<String> sites, Double machineCpu) throws Exception {
        Path p = Files.writeString(dir.resolve("agent-snapshot.json"), IoSnapshotFixtures.snapshot(sites));
        List<Summary> summaries = new ArrayList<>();
        summaries.add(AgentSnapshotReader.read(p, IoSnapshotFixtures.artifact(p), n -> { }));
        if (machineCpu != null) {
            Path jfr = Files.writeString(dir.resolve("recording.jfr"), "x");
            summaries.add(new CpuSummary(new Artifact(jfr, ArtifactType.JFR, 1, null, Map.of()), 60, 0.1, machineCpu,
                    1.0, 2, 0, List.of(), 0, 0, 60_000));
        }
        return IoAnalysis.run(summaries, RuleSettings.parse(List.of(), IoAnalysis.RULES));
    }

    /** 10 keep-alive connections; each answered {@code requests} requests, read by the server's own code. */
    private static List<String> server(int requests, int writesPerResponse) {
        List<String> sites = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            String peer = "127.0.0.1:" + (40000 + c);
            sites.add(site("(jdk)", "socket", "read", peer, requests, requests * 300L, 2000, 20000, "n/a"));
            long writes = (long) requests * writesPerResponse;
            sites.add(site("com.acme.Http.respond(Http.java:53)", "socket", "write", peer, writes, writes * 160, 3000,
                    30000, "n/a"));
        }
        return sites;
    }

    @Test
    void smallResponsesWrittenOncePerRequestAreNotSmallWrites() throws Exception {
        assertThat(run(server(300, 1), null)).extracting(Finding::id).doesNotContain("io.small-writes");
        // headers and body as two calls per response: still whole messages
        assertThat(run(server(300, 2), null)).extracting(Finding::id).doesNotContain("io.small-writes");
    }

    @Test
    void responsesFragmentedIntoManySmallWritesAreSmallWrites() throws Exception {
        List<Finding> fs = run(server(300, 10), null);
        Finding f = fs.stream().filter(x -> x.id().equals("io.small-writes")).findFirst().orElseThrow();
        assertThat(f.title()).isEqualTo("Small writes at com.acme.Http.respond(Http.java:53): 30000 writes of 160.0"
                + " bytes on average to 10 socket targets");
        assertThat(f.evidence()).containsEntry("writesPerRead", 10.0).containsEntry("count", 30000L);
    }

    @Test
    void aSocketStreamWithoutReadsIsJudgedBySizeAlone() throws Exception {
        List<Finding> fs = run(List.of(site("com.acme.Log.send(Log.java:9)", "socket", "write", "10.0.0.5:514", 5000,
                500_000, 3000, 30000, "n/a")), null);
        Finding f = fs.stream().filter(x -> x.id().equals("io.small-writes")).findFirst().orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).doesNotContainKey("writesPerRead");
    }

    private static List<String> slowFileTail() {
        return List.of(site("com.acme.Store.put(Store.java:30)", "file", "write", "/data/seg-1.log", 1000, 1_000_000,
                50_000, 30 * MS, "sequential"));
    }

    @Test
    void aSlowTailOnAnIdleMachineIsAWarning() throws Exception {
        Finding f = run(slowFileTail(), 0.40).stream().filter(x -> x.id().equals("io.slow-target")).findFirst()
                .orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("machineCpuPercent", 40.0);
        assertThat(f.summary()).doesNotContain("scheduler");
    }

    @Test
    void aSlowTailOnASaturatedMachineIsInfoAndSaysWhy() throws Exception {
        Finding f = run(slowFileTail(), 0.95).stream().filter(x -> x.id().equals("io.slow-target")).findFirst()
                .orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsEntry("machineCpuPercent", 95.0);
        assertThat(f.summary()).endsWith("The machine's CPU was 95.0% busy on average during the recording: a thread"
                + " descheduled once waits this long, so the tail may be the scheduler's rather than the I/O's.");
    }

    @Test
    void withoutAJfrOfTheSameProcessTheTailIsJudgedAlone() throws Exception {
        Finding f = run(slowFileTail(), null).stream().filter(x -> x.id().equals("io.slow-target")).findFirst()
                .orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).doesNotContainKey("machineCpuPercent");
    }
}
