package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.apps.SlowClientsApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.rules.io.JfrIoSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JFR names a socket event's remote port, which for a connection a server accepted is the client's, new for every
 * connection: a real JVM's server reads from 12 slow clients (each read about 40 ms, above JFR's default 20 ms) are
 * one target, the client host with its ports merged, not twelve.
 */
class JfrSocketTargetsTest {
    @TempDir
    Path dir;

    @Test
    void aServersReadsFromManyClientPortsOfOneHostAreOneTarget() throws Exception {
        Path jfr = dir.resolve("clients.jfr");
        String out = Jvm.run(Jvm.javaHome17(), List.of(Jvm.jfr(jfr, "default")), SlowClientsApp.class, "12");
        assertThat(out).contains("port=");
        List<JfrIoSummary.Target> sockets = Contexts.ingest(new JfrIngester(), jfr, ArtifactType.JFR)
                .one(JfrIoSummary.class).targets().stream().filter(t -> t.kind().equals("socket")).toList();
        assertThat(sockets).extracting(t -> t.op() + " " + t.target() + " " + t.count() + " " + t.bytes())
                .containsExactly("read localhost:* (12 ports) 12 1200");
        assertThat(sockets.get(0).frame()).isEqualTo("dev.hotpath.analyzer.jfr.apps.SlowClientsApp.lambda$main$0");
        assertThat(sockets.get(0).maxNanos()).isGreaterThanOrEqualTo(20_000_000L);
    }
}
