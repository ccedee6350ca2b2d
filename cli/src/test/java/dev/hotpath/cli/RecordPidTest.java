package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.cli.record.TargetJvm;
import dev.hotpath.cli.record.testapp.NativeLeakApp;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hotpath record --pid}: real JVMs started by the test, recorded by pid, left running; the run directory is
 * then analyzed by the real {@code hotpath analyze}.
 */
class RecordPidTest {
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    static final Pattern PROGRESS =
            Pattern.compile("\\[hotpath record\\] (\\d\\d):(\\d\\d) elapsed  RSS (\\d+\\.\\d) MB  artifacts (\\d+)");

    @TempDir
    Path dir;

    private Process startApp(Path java, String mode, List<String> jvmFlags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", NativeLeakApp.classPath(), NativeLeakApp.class.getName(), mode,
                dir.resolve(mode + ".status").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(mode + ".log").toFile()).start();
        assertThat(TargetJvm.awaitAttachable(p.pid(), 60_000)).isTrue();
        Path started = dir.resolve(mode + ".status.started");
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(started) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100); // its main runs: on a loaded machine JVM start-up takes seconds
        }
        assertThat(started).exists();
        return p;
    }

    private static List<String> artifacts(JsonNode manifest) {
        List<String> list = new ArrayList<>();
        manifest.get("artifacts").forEach(a -> list.add(a.get("path").asText() + "=" + a.get("type").asText()));
        return list;
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    @Test
    void deflaterLeakRecordedByPidIsFoundByAnalyzeAndTheJvmKeepsRunning() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process app = startApp(java, "deflater",
                List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch", "-XX:NativeMemoryTracking=summary"));
        try {
            Path run = dir.resolve("run");
            Path agentJar = Path.of(System.getProperty("user.dir")).getParent().resolve("agent/target/hotpath-agent.jar");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new RecordCommand());
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int code = cl.execute("--pid", Long.toString(app.pid()), "--out", run.toString(), "--duration", "16s",
                    "--jfr", "--nmt", "--nmt-interval", "1s", "--gc-log", "--heap-dumps", "2",
                    "--async-profiler", "nativemem", "--agent", "--agent-jar", agentJar.toString(), "--progress");
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).isEqualTo("hotpath record: " + run.toAbsolutePath().resolve("manifest.json")
                    + " (JVM " + app.pid() + " still running)" + System.lineSeparator());
            assertThat(app.isAlive()).isTrue();

            // progress: one plain line every 5 s (the 16 s count once the evidence runs, so set-up adds lines), each
            // in the exact format, time and artifacts rising
            List<String> lines = err.toString().lines().toList();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
            int lastSeconds = -1;
            int lastArtifacts = 0;
            for (String line : lines) {
                Matcher m = PROGRESS.matcher(line);
                assertThat(m.matches()).as(line).isTrue();
                int seconds = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
                assertThat(seconds).isGreaterThan(lastSeconds).isGreaterThanOrEqualTo(5 * (lines.indexOf(line) + 1));
                assertThat(Double.parseDouble(m.group(3))).isGreaterThan(64.0); // a pre-touched 64 MB heap at least
                int artifacts = Integer.parseInt(m.group(4));
                assertThat(artifacts).isGreaterThanOrEqualTo(lastArtifacts);
                lastSeconds = seconds;
                lastArtifacts = artifacts;
            }
            assertThat(lastArtifacts).isGreaterThanOrEqualTo(6); // rss, gc log, first heap dump, NMT summaries + diff

            JsonNode m = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
            assertThat(m.get("pid").asLong()).isEqualTo(app.pid());
            assertThat(m.get("attached").asBoolean()).isTrue();
            assertThat(m.get("targetAlive").asBoolean()).isTrue();
            assertThat(m.get("exitCode").isNull()).isTrue();
            assertThat(m.get("stoppedBy").asText()).isEqualTo("duration");
            assertThat(m.get("jdk").asText()).isEqualTo(System.getProperty("java.version"));
            assertThat(texts(m.get("command"))).endsWith(NativeLeakApp.class.getName(), "deflater",
                    dir.resolve("deflater.status").toString());
            assertThat(texts(m.get("notes"))).containsExactly("the hotpath agent stays loaded in JVM " + app.pid()
                    + " (a Java agent cannot be unloaded); it serves /snapshot and /metrics on 127.0.0.1:"
                    + texts(m.get("notes")).get(0).replaceAll(".*127\\.0\\.0\\.1:", ""));

            long nmtFiles;
            try (var s = Files.list(run.resolve("nmt"))) {
                nmtFiles = s.filter(p -> p.getFileName().toString().startsWith("summary-")).count();
            }
            assertThat(nmtFiles).isBetween(8L, 20L);
            List<String> expected = new ArrayList<>(List.of("agent-snapshot.json=agent-snapshot",
                    "async-profiler.jfr=async-profiler-jfr", "gc.log=gclog", "heap/heap-01.hprof=hprof",
                    "heap/heap-02.hprof=hprof"));
            for (int i = 1; i <= nmtFiles; i++) {
                expected.add(String.format("nmt/summary-%04d.txt=nmt", i));
            }
            expected.addAll(List.of("nmt/summary.diff.txt=nmt", "recording.jfr=jfr", "rss.csv=rss"));
            assertThat(artifacts(m)).containsExactlyElementsOf(expected);

            // each artifact is whole: JFR and async-profiler files parse to the end, the GC log saw the dumps' GCs
            assertThat(count(run.resolve("recording.jfr"), "jdk.CPULoad")).isGreaterThanOrEqualTo(5);
            assertThat(count(run.resolve("async-profiler.jfr"), "profiler.Malloc")).isGreaterThan(1000);
            assertThat(Files.readString(run.resolve("gc.log"))).contains("Pause Full (Heap Dump Initiated GC)");
            assertThat(Files.readString(run.resolve("agent-snapshot.json"))).contains("\"pid\":" + app.pid());
            // the GC log output was switched off in the target: nothing more reaches the file
            long gcLogSize = Files.size(run.resolve("gc.log"));
            new ProcessBuilder(java.getParent().resolve("jcmd").toString(), Long.toString(app.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("jcmd.log").toFile()).start().waitFor();
            assertThat(Files.size(run.resolve("gc.log"))).isEqualTo(gcLogSize);

            Cli.Result a = Cli.run("analyze", "--workspace", dir.resolve("ws").toString(), "--json", run.toString());
            JsonNode report = new ObjectMapper().readTree(a.out());
            JsonNode leak = null;
            for (JsonNode f : report.get("findings")) {
                if (f.get("id").asText().equals("native.untracked-growth")) {
                    assertThat(leak).isNull();
                    leak = f;
                }
            }
            assertThat(leak).as(a.out() + a.err()).isNotNull();
            assertThat(leak.get("category").asText()).isEqualTo("native");
            assertThat(leak.get("title").asText()).startsWith("Native memory outside the JVM's accounting grows ")
                    .endsWith(" MB/min under " + NativeLeakApp.DEFLATER_SITE);
            assertThat(leak.get("evidence").get("culpritStack").toString()).contains("java.util.zip.Deflater.<init>");
            assertThat(leak.get("recommendation").asText()).startsWith("Call end() on every java.util.zip.Deflater");

            // the rate in range: what the app really leaked (20 Deflaters/s of ~262 KB of zlib state each)
            app.destroy();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String status = Files.readString(dir.resolve("deflater.status")).trim();
            long n = Long.parseLong(status.replaceAll(".*created=(\\d+).*", "$1"));
            long t0 = Long.parseLong(status.replaceAll(".*firstMillis=(\\d+).*", "$1"));
            long t1 = Long.parseLong(status.replaceAll(".*lastMillis=(\\d+).*", "$1"));
            double expectedMbPerMin = n * (4 * 65536 + 5_900) / (1024.0 * 1024.0) / ((t1 - t0) / 60_000.0);
            double culprit = leak.get("evidence").get("culpritMbPerMin").asDouble();
            assertThat(culprit).isBetween(expectedMbPerMin * 0.7, expectedMbPerMin * 1.3);
        } finally {
            app.destroyForcibly();
        }
    }

    @Test
    void jdk25WithoutNmtIsRecordedAndTheManifestSaysNmtWasOff() throws Exception {
        Process app = startApp(JDK25.resolve("bin/java"), "clean", List.of("-Xmx64m"));
        try {
            Path run = dir.resolve("run25");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new RecordCommand());
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            // defaults (JFR, NMT, GC log) plus one heap dump, whose GC puts a line into the GC log
            int code = cl.execute("--pid", Long.toString(app.pid()), "--out", run.toString(), "--duration", "4s",
                    "--jfr", "--nmt", "--gc-log", "--heap-dumps", "1", "--no-progress");
            assertThat(code).as(err.toString()).isZero();
            assertThat(err.toString()).isEmpty();
            assertThat(app.isAlive()).isTrue();
            JsonNode m = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
            assertThat(m.get("jdk").asText()).startsWith("25");
            assertThat(texts(m.get("notes"))).containsExactly("NMT: not enabled in the target JVM (it needs "
                    + "-XX:NativeMemoryTracking=summary at start); no NMT samples");
            assertThat(artifacts(m)).containsExactly("gc.log=gclog", "heap/heap-01.hprof=hprof", "recording.jfr=jfr",
                    "rss.csv=rss");
            assertThat(count(run.resolve("recording.jfr"), "jdk.JVMInformation")).isPositive();
        } finally {
            app.destroyForcibly();
        }
    }

    @Test
    void aPidThatIsNoJvmIsAUsageError() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Cli.Result r = Cli.run("record", "--pid", Long.toString(sleep.pid()), "--out", dir.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("hotpath record: --pid " + sleep.pid() + ": not a JVM ("
                    + Path.of("/usr/bin/sleep").toRealPath() + ") (see 'hotpath record --help')" + System.lineSeparator());
            Cli.Result gone = Cli.run("record", "--pid", "999999999", "--out", dir.toString());
            assertThat(gone.exit()).isEqualTo(2);
            assertThat(gone.err()).startsWith("hotpath record: --pid 999999999: no such process (see");
            Cli.Result both = Cli.run("record", "--pid", Long.toString(ProcessHandle.current().pid()), "--out",
                    dir.toString(), "--", "java", "-version");
            assertThat(both.exit()).isEqualTo(2);
            assertThat(both.err()).startsWith("hotpath record: --pid records a running JVM: give no command after -- (see");
        } finally {
            sleep.destroyForcibly();
        }
    }

    static long count(Path jfr, String type) throws Exception {
        long n = 0;
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (e.getEventType().getName().equals(type)) {
                    n++;
                }
            }
        }
        return n;
    }
}
