package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.store.WorkspaceStore;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when" on real data: a real JVM calls System.gc() 10 times with a large live set under
 * {@code -XX:StartFlightRecording}; {@code hotpath analyze} finds the pauses with the real JFR ingester and the real
 * {@code gc.long-pauses} rule, renders every format, gates with {@code --fail-on} and stores the run. The thresholds
 * are set low with {@code --set} so the finding does not depend on how fast this machine collects; its numbers are
 * checked against the recording read independently with {@code jdk.jfr.consumer}.
 */
class AnalyzeJfrEndToEndTest {
    static final int GC_CALLS = 10;
    static final String[] LOW = {"--set", "gc.long-pauses.warningPauseMs=0.01", "--set", "gc.long-pauses.criticalPauseMs=1000000"};

    @TempDir
    static Path dir;
    static Path recording;
    static Path ws;

    @BeforeAll
    static void record() throws Exception {
        ws = dir.resolve("ws");
        recording = recordGcPauseApp(dir, GC_CALLS);
    }

    /** A real JVM (G1, JFR default settings) calling System.gc() {@code calls} times: its recording in {@code dir}. */
    static Path recordGcPauseApp(Path dir, int calls) throws Exception {
        Path recording = dir.resolve("recording.jfr");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+UseG1GC",
                "-XX:StartFlightRecording=filename=" + recording + ",settings=default",
                "-cp", System.getProperty("java.class.path"), GcPauseApp.class.getName(), Integer.toString(calls))
                .redirectErrorStream(true).redirectOutput(dir.resolve("app.out").toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("app.out"))).isZero();
        } finally {
            p.destroyForcibly();
        }
        return recording;
    }

    private static Cli.Result analyze(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("analyze", "--workspace", ws.toString()));
        all.addAll(Arrays.asList(LOW));
        all.addAll(Arrays.asList(args));
        return Cli.run(all.toArray(String[]::new));
    }

    /** The System.gc() collections as JFR recorded them: count, total and max of sumOfPauses in ms (0.1 ms rounding). */
    static double[] systemGcPauses() throws Exception {
        long count = 0;
        long total = 0;
        long max = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("jdk.GarbageCollection") && e.getString("name").equals("G1Full")
                    && e.getString("cause").equals("System.gc()")) {
                long n = e.getDuration("sumOfPauses").toNanos();
                count++;
                total += n;
                max = Math.max(max, n);
            }
        }
        return new double[]{count, Math.round(total / 1e5) / 10.0, Math.round(max / 1e5) / 10.0};
    }

    @Test
    void jsonCarriesTheFullFinding() throws Exception {
        Cli.Result r = analyze("--json", "--run", "gc-e2e", recording.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode f = null;
        for (JsonNode each : root.get("findings")) {
            if (each.get("id").asText().equals("gc.long-pauses")
                    && each.get("evidence").get("cause").asText().equals("System.gc()")) {
                f = each;
            }
        }
        assertThat(f).as(r.out()).isNotNull();
        double[] jfr = systemGcPauses();
        assertThat(jfr[0]).isEqualTo(GC_CALLS);
        JsonNode ev = f.get("evidence");
        assertThat(f.get("severity").asText()).isEqualTo("warning");
        assertThat(f.get("category").asText()).isEqualTo("gc");
        assertThat(ev.get("gc").asText()).isEqualTo("G1");
        assertThat(ev.get("collector").asText()).isEqualTo("G1Full");
        assertThat(ev.get("count").asInt()).isEqualTo(GC_CALLS);
        assertThat(ev.get("totalPauseMs").asDouble()).isEqualTo(jfr[1]);
        assertThat(ev.get("maxPauseMs").asDouble()).isEqualTo(jfr[2]);
        // fewer than 100 collections: the p99 (nearest rank) is the longest pause
        assertThat(ev.get("p99PauseMs").asDouble()).isEqualTo(jfr[2]);
        assertThat(ev.get("thresholdMs").asDouble()).isEqualTo(0.01);
        assertThat(f.get("title").asText()).startsWith("G1Full pauses (System.gc()) reach ").endsWith(" ms at p99");
        assertThat(f.get("summary").asText()).startsWith(GC_CALLS + " G1Full collections caused by 'System.gc()'");
        assertThat(f.get("recommendation").asText()).contains("System.gc()");
        assertThat(f.get("sources").toString()).isEqualTo("[\"recording.jfr\"]");
        JsonNode a = root.get("artifacts").get(0);
        assertThat(a.get("type").asText()).isEqualTo("jfr");
        assertThat(a.get("path").asText()).isEqualTo(recording.toString());
        assertThat(a.get("sizeBytes").asLong()).isEqualTo(Files.size(recording));
        assertThat(a.get("sha256").asText()).isEqualTo(AnalyzeCommandTest.sha256(recording));

        try (WorkspaceStore store = WorkspaceStore.open(ws.toString())) {
            Run stored = store.load("gc-e2e").orElseThrow();
            assertThat(stored.artifacts()).singleElement().satisfies(x -> {
                assertThat(x.type()).isEqualTo(ArtifactType.JFR);
                assertThat(x.path()).isEqualTo(recording);
            });
            assertThat(stored.findings()).hasSize(root.get("findings").size());
            assertThat(stored.findings()).anySatisfy(x -> assertThat(x.evidence().get("cause")).isEqualTo("System.gc()"));
        }
    }

    @Test
    void textMarkdownHtmlAndSarif() throws Exception {
        Path html = dir.resolve("report.html");
        Path sarif = dir.resolve("report.sarif");
        Cli.Result text = analyze("--html", html.toString(), "--sarif", sarif.toString(), recording.toString());
        assertThat(text.exit()).isEqualTo(0);
        assertThat(text.out()).containsPattern("\\nWARNING \\(\\d+\\)\\n")
                .containsPattern("\\n  \\[gc.long-pauses\\] G1Full pauses \\(System.gc\\(\\)\\) reach [0-9.]+ ms at p99\\n")
                .contains("    count: " + GC_CALLS + "\n").contains("    sources: recording.jfr\n");
        String page = Files.readString(html);
        assertThat(page).contains("<h2>warning (").containsPattern("<h3>G1Full pauses \\(System.gc\\(\\)\\) reach [0-9.]+ ms at p99</h3>")
                .contains("<tr><th>count</th><td class=\"v\">" + GC_CALLS + "</td></tr>");
        JsonNode s = new ObjectMapper().readTree(sarif.toFile());
        assertThat(s.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = s.get("runs").get(0);
        JsonNode rules = run.get("tool").get("driver").get("rules");
        int longPauses = -1;
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).get("id").asText().equals("gc.long-pauses")) {
                longPauses = i;
                assertThat(rules.get(i).get("shortDescription").get("text").asText())
                        .isEqualTo("GC pauses whose p99 (per collector and cause) exceeds a latency budget");
            }
        }
        assertThat(longPauses).isNotNegative();
        int seen = 0;
        for (JsonNode result : run.get("results")) {
            if (!result.get("ruleId").asText().equals("gc.long-pauses")) {
                continue;
            }
            seen++;
            assertThat(result.get("ruleIndex").asInt()).isEqualTo(longPauses);
            assertThat(result.get("level").asText()).isEqualTo("warning");
            assertThat(result.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText())
                    .isEqualTo(recording.toUri().toString());
        }
        assertThat(seen).isGreaterThanOrEqualTo(1);
        Cli.Result md = analyze("--markdown", recording.toString());
        assertThat(md.out()).containsPattern("### G1Full pauses \\(System.gc\\(\\)\\) reach [0-9.]+ ms at p99\\n")
                .contains("| count | " + GC_CALLS + " |\n").contains("| cause | System.gc() |\n");
    }

    @Test
    void failOnGatesCi() throws Exception {
        // other installed rules may also fire on this recording; the gate follows the worst finding of the run
        JsonNode findings = new ObjectMapper().readTree(analyze("--json", recording.toString()).out()).get("findings");
        boolean critical = false;
        for (JsonNode f : findings) {
            critical |= f.get("severity").asText().equals("critical");
        }
        assertThat(analyze("--fail-on", "warning", recording.toString()).exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(analyze("--fail-on", "critical", recording.toString()).exit())
                .isEqualTo(critical ? ExitCodes.FINDINGS : ExitCodes.OK);
        Cli.Result raised = analyze("--json", "--set", "gc.long-pauses.warningPauseMs=1000000", recording.toString());
        assertThat(raised.exit()).isEqualTo(ExitCodes.OK);
        for (JsonNode f : new ObjectMapper().readTree(raised.out()).get("findings")) {
            assertThat(f.get("id").asText()).isNotEqualTo("gc.long-pauses");
        }
    }

    @Test
    void aCutRecordingIsOneLine() throws Exception {
        byte[] all = Files.readAllBytes(recording);
        Path cut = Files.write(dir.resolve("cut.jfr"), Arrays.copyOf(all, all.length * 6 / 10));
        Cli.Result r = analyze(cut.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.UNUSABLE_INPUT);
        assertThat(r.err()).startsWith(cut + ": ").hasLineCount(1).doesNotContain("\tat ");
        Cli.Result both = analyze(cut.toString(), recording.toString());
        assertThat(both.exit()).isEqualTo(ExitCodes.OK);
        assertThat(both.err()).isEqualTo(r.err());
    }
}
