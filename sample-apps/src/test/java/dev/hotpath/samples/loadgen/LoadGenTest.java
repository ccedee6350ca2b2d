package dev.hotpath.samples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotpath.samples.common.Args;
import dev.hotpath.samples.common.Json;
import dev.hotpath.samples.gateway.Gateway;
import dev.hotpath.samples.ingest.Ingest;
import dev.hotpath.samples.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadGenTest {
    @TempDir
    Path dir;
    Gateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = Gateway.start(dir, 0, 4, Set.of());
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private Map<String, Object> run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = LoadGen.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isZero();
        String text = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(text.lines().count()).isEqualTo(1); // one JSON document, nothing else on stdout
        return Json.parseObject(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> op(Map<String, Object> summary, String name) {
        for (Object o : (List<Object>) summary.get("operations")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (name.equals(m.get("op"))) {
                return m;
            }
        }
        throw new AssertionError("no operation " + name + " in " + summary);
    }

    @Test
    @SuppressWarnings("unchecked")
    void closedLoopSequentialReadsPrintAnElbenchoLikeSummary() throws Exception {
        Map<String, Object> s = run("--target", gw.url(), "--prepare", "--objects", "8", "--size", "16k",
                "--workload", "seq-read", "--ops", "40", "--threads", "2");
        assertThat(s).containsEntry("tool", "hotpath-loadgen").containsEntry("mode", "closed").containsEntry("threads", 2L);
        Map<String, Object> read = op(s, "seq-read");
        assertThat(read).containsEntry("ops", 40L).containsEntry("errors", 0L).containsEntry("bytes", 40L * 16384);
        assertThat((Double) read.get("opsPerSec")).isPositive();
        assertThat((Double) read.get("mibPerSec")).isPositive();
        Map<String, Object> lat = (Map<String, Object>) read.get("latencyMicros");
        assertThat(lat).containsOnlyKeys("min", "mean", "p50", "p90", "p99", "p999", "max");
        long p50 = (Long) lat.get("p50");
        long p90 = (Long) lat.get("p90");
        long p99 = (Long) lat.get("p99");
        long p999 = (Long) lat.get("p999");
        assertThat(p50).isPositive().isLessThanOrEqualTo(p90);
        assertThat(p90).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(p999);
        assertThat(p999).isLessThanOrEqualTo((Long) lat.get("max"));
        assertThat(((Map<String, Object>) s.get("total")).get("ops")).isEqualTo(40L);
        assertThat(Http.metric(gw.url(), "gets")).isEqualTo(40);
        assertThat(Http.metric(gw.url(), "puts")).isEqualTo(8);
    }

    @Test
    void openLoopIssuesExactlyTheScheduledOperations() throws Exception {
        Map<String, Object> s = run("--target", gw.url(), "--prepare", "--objects", "4", "--size", "4k",
                "--workload", "random-read", "--rate", "200", "--duration", "500ms", "--threads", "4");
        assertThat(s).containsEntry("mode", "open");
        assertThat(op(s, "random-read")).containsEntry("ops", 100L).containsEntry("errors", 0L);
    }

    @Test
    void mixedWritesAndIngestBatches() throws Exception {
        Ingest.Options o = new Ingest.Options();
        o.gatewayUrl = gw.url();
        o.instance = "lg";
        try (Ingest in = Ingest.start(o)) {
            Map<String, Object> s = run("--target", gw.url(), "--ingest", in.url(), "--bucket", "data", "--prepare",
                    "--objects", "1", "--sizes", "1k:1,8k:1", "--workload", "write:1,ingest:1", "--ops", "30",
                    "--events-per-batch", "50");
            long writes = (Long) op(s, "write").get("ops");
            long batches = (Long) op(s, "ingest").get("ops");
            assertThat(writes + batches).isEqualTo(30);
            assertThat(in.metrics()).containsEntry("eventsAccepted", batches * 50);
            assertThat(Http.metric(gw.url(), "puts")).isGreaterThanOrEqualTo(1 + writes);
        }
    }

    @Test
    void usageErrorsNameTheOption() {
        assertThatThrownBy(() -> LoadGen.run(new String[] {"--target", "http://x", "--workload", "bogus"}, System.out, System.err))
                .isInstanceOf(Args.UsageException.class).hasMessageContaining("unknown workload 'bogus'");
        assertThatThrownBy(() -> LoadGen.run(new String[] {"--workload", "ingest"}, System.out, System.err))
                .isInstanceOf(Args.UsageException.class).hasMessage("the ingest workload needs --ingest=URL");
    }
}
