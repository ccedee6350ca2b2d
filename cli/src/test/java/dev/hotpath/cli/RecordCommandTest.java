package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.cli.record.Durations;
import dev.hotpath.cli.record.testapp.NativeLeakApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new RecordCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void aCommandThatIsNotJavaIsAUsageError() {
        assertThat(run("--out", dir.toString(), "--", "python3", "app.py")).isEqualTo(2);
        assertThat(err.toString()).startsWith("'python3' is not a java executable: record wires JVM options in, "
                + "so the command must start with java (or a path to it)");
    }

    @Test
    void unknownProfilerEventIsAUsageError() {
        assertThat(run("--out", dir.toString(), "--async-profiler", "cpu,heap", "--", "java", "-version")).isEqualTo(2);
        assertThat(err.toString()).startsWith("--async-profiler: unknown event 'heap' (expected cpu, alloc, lock, wall, nativemem)");
    }

    @Test
    void missingAgentJarIsAUsageError() {
        Path jar = dir.resolve("nope.jar");
        assertThat(run("--out", dir.toString(), "--agent", "--agent-jar", jar.toString(), "--", "java", "-version"))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("--agent: agent jar " + jar + " does not exist (build it or pass --agent-jar)");
    }

    @Test
    void programThatExitsOnItsOwnGivesItsExitCodeAndAManifestWithDefaults() throws Exception {
        Path run = dir.resolve("run");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        int code = run("--out", run.toString(), "--no-progress", "--app-log", dir.resolve("app.log").toString(), "--",
                java.toString(), "-cp", NativeLeakApp.classPath(), NativeLeakApp.class.getName(), "exit",
                dir.resolve("status").toString(), "7");
        assertThat(code).as(err.toString()).isEqualTo(7);
        JsonNode m = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
        assertThat(m.get("format").asText()).isEqualTo("hotpath-run/1");
        assertThat(m.get("exitCode").asInt()).isEqualTo(7);
        assertThat(m.get("stoppedBy").asText()).isEqualTo("exit");
        assertThat(m.get("jdk").asText()).isEqualTo(System.getProperty("java.version"));
        List<String> cmd = new ArrayList<>();
        m.get("command").forEach(n -> cmd.add(n.asText()));
        // defaults: JFR + NMT + GC log, inserted right after the executable
        assertThat(cmd.get(0)).isEqualTo(java.toString());
        assertThat(cmd.get(1)).isEqualTo("-XX:StartFlightRecording=name=hotpath,settings=profile,dumponexit=true,filename="
                + run.toAbsolutePath().resolve("recording.jfr"));
        assertThat(cmd.get(2)).isEqualTo("-XX:NativeMemoryTracking=summary");
        assertThat(cmd.get(3)).isEqualTo("-Xlog:gc*,safepoint:file=" + run.toAbsolutePath().resolve("gc.log")
                + ":time,uptime,level,tags");
        assertThat(cmd.subList(4, cmd.size())).containsExactly("-cp", NativeLeakApp.classPath(),
                NativeLeakApp.class.getName(), "exit", dir.resolve("status").toString(), "7");
        List<String> types = new ArrayList<>();
        m.get("artifacts").forEach(a -> types.add(a.get("path").asText() + "=" + a.get("type").asText()));
        assertThat(types).contains("rss.csv=rss", "gc.log=gclog");
        assertThat(Files.readString(run.resolve("rss.csv"))).startsWith("# hotpath-rss v1\nepochMillis,rssKb,pssKb,anonKb,fileKb,swapKb\n");
        assertThat(out.toString()).isEqualTo("hotpath record: " + run.toAbsolutePath().resolve("manifest.json")
                + " (exit code 7)" + System.lineSeparator());
    }

    @Test
    void durationsParse() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessage("'soon' is not a duration (examples: 500ms, 15s, 2m, 1h)");
        assertThatThrownBy(() -> Durations.parse("0s")).hasMessage("duration '0s' must be positive");
    }
}
