package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.apps.OwnIoApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.rules.io.JfrIoSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JFR records the I/O of every thread, hotpath's agent's too: a demo's gateway once listed the agent's snapshot write
 * as its slowest file, with advice to move it off latency-critical threads. A real JVM records every file write (0 ms
 * threshold) while its application writes a file and a class of the agent's package writes the snapshot: only the
 * application's writes are targets.
 */
class JfrAgentOwnIoTest {
    @TempDir
    Path dir;

    @Test
    void theAgentsOwnFileWritesAreNotTheApplicationsTargets() throws Exception {
        Path jfr = dir.resolve("own.jfr");
        Jvm.run(Jvm.javaHome17(), List.of("-XX:StartFlightRecording=filename=" + jfr
                + ",settings=default,jdk.FileWrite#threshold=0ms"), OwnIoApp.class, dir.toString());
        assertThat(Files.size(dir.resolve("agent-snapshot.json.tmp"))).as("the stand-in wrote").isEqualTo(1500);
        List<JfrIoSummary.Target> writes = Contexts.ingest(new JfrIngester(), jfr, ArtifactType.JFR)
                .one(JfrIoSummary.class).targets().stream()
                .filter(t -> t.kind().equals("file") && t.op().equals("write")).toList();
        assertThat(writes).extracting(t -> t.target() + " " + t.count() + " " + t.bytes() + " " + t.frame())
                .containsExactly(dir.resolve("app.bin") + " 5 5000 dev.hotpath.analyzer.jfr.apps.OwnIoApp.main");
    }
}
