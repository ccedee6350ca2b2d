package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.UnusableInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentSnapshotReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryFieldOfEveryCallSite() throws Exception {
        Path p = Files.writeString(dir.resolve("snap.json"), IoSnapshotFixtures.faulty("/data/shards.bin"));
        List<String> notes = new ArrayList<>();
        IoSnapshot s = AgentSnapshotReader.read(p, IoSnapshotFixtures.artifact(p), notes::add);
        assertThat(notes).isEmpty();
        assertThat(s.pid()).isEqualTo(4242);
        assertThat(s.startedAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(s.seconds()).isEqualTo(100.0);
        assertThat(s.dropped()).isEqualTo(7);
        assertThat(s.callSites()).hasSize(7);
        assertThat(s.callSites().get(3)).isEqualTo(new IoCallSite("com.acme.Shards.fetch(Shards.java:120)", "file",
                "read", "/data/shards.bin", 50000, 204800000, 80000, 80000, 2500000, 2500000, 2500000, "random"));
    }

    @Test
    void aTruncatedSnapshotKeepsTheCallSitesReadAndSaysWhere() throws Exception {
        String full = IoSnapshotFixtures.faulty("/data/shards.bin");
        int cut = full.indexOf("com.acme.Peer.send");
        Path p = Files.writeString(dir.resolve("cut.json"), full.substring(0, cut));
        List<String> notes = new ArrayList<>();
        IoSnapshot s = AgentSnapshotReader.read(p, IoSnapshotFixtures.artifact(p), notes::add);
        assertThat(s.callSites()).hasSize(4);
        assertThat(notes).containsExactly("cut.json: truncated at byte " + cut + "; read 4 call sites");
    }

    @Test
    void unusableInputNamesTheFileAndTheProblem() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        assertThatThrownBy(() -> AgentSnapshotReader.read(empty, IoSnapshotFixtures.artifact(empty), n -> { }))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(empty + ": not an agent snapshot (expected a JSON object)");
        Path other = Files.writeString(dir.resolve("other.json"), "{\"findings\":[]}");
        assertThatThrownBy(() -> AgentSnapshotReader.read(other, IoSnapshotFixtures.artifact(other), n -> { }))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(other + ": not an agent snapshot (no \"callSites\" array)");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"pid\": x}");
        assertThatThrownBy(() -> AgentSnapshotReader.read(garbage, IoSnapshotFixtures.artifact(garbage), n -> { }))
                .isInstanceOf(UnusableInputException.class)
                .hasMessageStartingWith(garbage + ": not valid JSON: ");
        Path head = Files.writeString(dir.resolve("head.json"), "{\"pid\":1,\"startedAt\":\"2026");
        assertThatThrownBy(() -> AgentSnapshotReader.read(head, IoSnapshotFixtures.artifact(head), n -> { }))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(head + ": truncated before its \"callSites\" array");
    }
}
