package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.cli.record.testapp.NativeLeakApp;
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
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** How a launched recording ends: Ctrl-C on a real {@code hotpath record} process, and async-profiler's file. */
class RecordStopTest {
    static final Pattern PROGRESS =
            Pattern.compile("\\[hotpath record\\] \\d\\d:\\d\\d elapsed  RSS \\d+\\.\\d MB  artifacts \\d+");

    @TempDir
    Path dir;

    private static List<String> artifacts(JsonNode manifest) {
        List<String> list = new ArrayList<>();
        manifest.get("artifacts").forEach(a -> list.add(a.get("path").asText() + "=" + a.get("type").asText()));
        return list;
    }

    private static List<String> nmtEntries(Path run) throws Exception {
        List<String> list = new ArrayList<>();
        try (var s = Files.list(run.resolve("nmt"))) {
            s.map(p -> "nmt/" + p.getFileName() + "=nmt").sorted().forEach(list::add);
        }
        return list;
    }

    private static String listing(Path run) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var s = Files.walk(run.getParent())) {
            s.forEach(p -> sb.append(p).append('\n'));
        }
        return sb.toString();
    }

    private static void awaitFile(Path file, Process p, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!Files.exists(file)) {
            assertThat(p.isAlive()).as("record exited before " + file + " appeared").isTrue();
            assertThat(System.currentTimeMillis()).as("waiting for " + file).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Whether this JVM started with SIGINT ignored (then it never installed a handler, and it stays ignored). */
    private static boolean sigintIgnored() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    /**
     * {@code hotpath record ARGS} as the launcher runs it: a JVM of its own with the test's class path. Started from a
     * shell without job control ({@code mvn ... &} in a script), SIGINT is ignored here and in every child, so a
     * terminal's Ctrl-C is simulated by restoring its default disposition before exec.
     */
    private static List<String> recordCommand(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (sigintIgnored()) {
            cmd.addAll(List.of("python3", "-c", "import os,signal,sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                    + "os.execv(sys.argv[1], sys.argv[1:])"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), HotpathCommand.class.getName(), "record"));
        cmd.addAll(args);
        return cmd;
    }

    @Test
    void ctrlCOnTheRecordProcessFinalisesTheRunDirAndEndsTheJvm() throws Exception {
        Path run = dir.resolve("run");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = recordCommand(List.of("--out", run.toString(), "--nmt-interval", "1s", "--progress",
                "--app-log", dir.resolve("app.log").toString(), "--",
                java.toString(), "-Xmx64m", "-cp", NativeLeakApp.classPath(), NativeLeakApp.class.getName(), "clean",
                dir.resolve("status").toString()));
        Process record = new ProcessBuilder(cmd).redirectOutput(dir.resolve("record.out").toFile())
                .redirectError(dir.resolve("record.err").toFile()).start();
        try {
            // the program runs (its main, after JVM start-up that takes seconds on a loaded machine), NMT sampling has
            // begun and one progress line is out
            awaitFile(dir.resolve("status.started"), record, 120_000);
            awaitFile(run.resolve("nmt/summary-0002.txt"), record, 120_000);
            long deadline = System.currentTimeMillis() + 30_000;
            while (Files.readString(dir.resolve("record.err")).isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(record.pid())).start();
            assertThat(kill.waitFor()).isZero();
            assertThat(record.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(record.exitValue()).isEqualTo(130); // 128 + SIGINT: the JVM's own code for a signal exit

            JsonNode m = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
            long pid = m.get("pid").asLong();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(m.get("stoppedBy").asText()).isEqualTo("interrupt");
            assertThat(m.get("exitCode").asInt()).isEqualTo(143); // SIGTERM from record, shutdown hooks ran
            assertThat(m.get("notes").size()).as(m.get("notes").toString()).isZero();
            // the program's own shutdown hook ran: it was stopped gracefully
            assertThat(dir.resolve("status")).as(listing(run) + Files.readString(dir.resolve("app.log"))).exists();
            assertThat(Files.readString(dir.resolve("status"))).startsWith("created=0 ");

            List<String> expected = new ArrayList<>(List.of("gc.log=gclog"));
            List<String> nmt = nmtEntries(run);
            assertThat(nmt).hasSizeGreaterThanOrEqualTo(3).last().isEqualTo("nmt/summary.diff.txt=nmt");
            expected.addAll(nmt);
            expected.addAll(List.of("recording.jfr=jfr", "rss.csv=rss"));
            assertThat(artifacts(m)).containsExactlyElementsOf(expected);
            assertThat(RecordPidTest.count(run.resolve("recording.jfr"), "jdk.JVMInformation")).isPositive(); // a whole file
            assertThat(Files.readString(run.resolve("gc.log"))).contains("Using G1");
            assertThat(Files.readString(run.resolve("rss.csv")).lines().count()).isGreaterThanOrEqualTo(5);

            assertThat(Files.readString(dir.resolve("record.out"))).isEqualTo("hotpath record: "
                    + run.toAbsolutePath().resolve("manifest.json") + " (exit code 143, stopped by record)"
                    + System.lineSeparator());
            List<String> progress = Files.readString(dir.resolve("record.err")).lines().toList();
            assertThat(progress).isNotEmpty().allSatisfy(l -> assertThat(l).matches(PROGRESS));
        } finally {
            record.destroyForcibly();
            JsonNode m = Files.exists(run.resolve("manifest.json"))
                    ? new ObjectMapper().readTree(run.resolve("manifest.json").toFile()) : null;
            if (m != null) {
                ProcessHandle.of(m.get("pid").asLong()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static String jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void ctrlCOnRecordPidFinalisesTheRunDirAndLeavesTheJvmRunning() throws Exception {
        Path run = dir.resolve("run");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path status = dir.resolve("status");
        Process app = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:NativeMemoryTracking=summary", "-cp",
                NativeLeakApp.classPath(), NativeLeakApp.class.getName(), "deflater", status.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile()).start();
        Process record = null;
        try {
            awaitFile(dir.resolve("status.started"), app, 120_000);
            record = new ProcessBuilder(recordCommand(List.of("--pid", Long.toString(app.pid()), "--out",
                    run.toString(), "--jfr", "--nmt", "--nmt-interval", "1s", "--gc-log", "--async-profiler",
                    "nativemem", "--no-progress"))).redirectOutput(dir.resolve("record.out").toFile())
                    .redirectError(dir.resolve("record.err").toFile()).start();
            // summary-0002 comes from the periodic sampling, which starts once JFR, the GC log and async-profiler run
            awaitFile(run.resolve("nmt/summary-0002.txt"), record, 120_000);
            // a GC for the GC log to show (the app allocates too little to need one in seconds)
            jcmd(app.pid(), "GC.run");
            long deadline = System.currentTimeMillis() + 30_000;
            while (Files.size(run.resolve("gc.log")) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(record.pid())).start();
            assertThat(kill.waitFor()).isZero();
            assertThat(record.waitFor(120, TimeUnit.SECONDS)).isTrue();
            long recordEnded = System.currentTimeMillis();
            assertThat(record.exitValue()).as(Files.readString(dir.resolve("record.err"))).isEqualTo(130);
            assertThat(Files.readString(dir.resolve("record.err"))).isEmpty();
            assertThat(Files.readString(dir.resolve("record.out"))).isEqualTo("hotpath record: "
                    + run.toAbsolutePath().resolve("manifest.json") + " (JVM " + app.pid() + " still running)"
                    + System.lineSeparator());

            JsonNode m = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
            assertThat(m.get("pid").asLong()).isEqualTo(app.pid());
            assertThat(m.get("stoppedBy").asText()).isEqualTo("interrupt");
            assertThat(m.get("attached").asBoolean()).isTrue();
            assertThat(m.get("targetAlive").asBoolean()).isTrue();
            assertThat(m.get("exitCode").isNull()).isTrue();
            assertThat(m.get("notes").size()).as(m.get("notes").toString()).isZero();
            List<String> expected = new ArrayList<>(List.of("async-profiler.jfr=async-profiler-jfr", "gc.log=gclog"));
            List<String> nmt = nmtEntries(run);
            assertThat(nmt).hasSizeGreaterThanOrEqualTo(4).last().isEqualTo("nmt/summary.diff.txt=nmt");
            expected.addAll(nmt);
            expected.addAll(List.of("recording.jfr=jfr", "rss.csv=rss"));
            assertThat(artifacts(m)).containsExactlyElementsOf(expected);

            // the target still runs and answers; the recording JFR was stopped and dumped whole
            assertThat(app.isAlive()).isTrue();
            assertThat(jcmd(app.pid(), "JFR.check")).contains("No available recordings");
            assertThat(RecordPidTest.count(run.resolve("recording.jfr"), "jdk.JVMInformation")).isPositive();
            // async-profiler was stopped: its file is complete (it parses) and does not grow while the leak goes on
            long mallocs = RecordPidTest.count(run.resolve("async-profiler.jfr"), "profiler.Malloc");
            assertThat(mallocs).isGreaterThan(20);
            long profilerBytes = Files.size(run.resolve("async-profiler.jfr"));
            // VM.log was switched off: a GC in the target adds nothing to the GC log
            long gcLogBytes = Files.size(run.resolve("gc.log"));
            assertThat(Files.readString(run.resolve("gc.log"))).contains("Pause Full (Diagnostic Command)");
            jcmd(app.pid(), "GC.run");
            Thread.sleep(2_000);
            assertThat(Files.size(run.resolve("gc.log"))).isEqualTo(gcLogBytes);
            assertThat(Files.size(run.resolve("async-profiler.jfr"))).isEqualTo(profilerBytes);
            assertThat(RecordPidTest.count(run.resolve("async-profiler.jfr"), "profiler.Malloc")).isEqualTo(mallocs);

            // and it went on working after record ended: its shutdown hook saw Deflaters made after that moment
            app.destroy();
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String s = Files.readString(status).trim();
            assertThat(Long.parseLong(s.replaceAll(".*lastMillis=(\\d+).*", "$1"))).as(s).isGreaterThan(recordEnded);
        } finally {
            if (record != null) {
                record.destroyForcibly();
            }
            app.destroyForcibly();
        }
    }

    @Test
    void asyncProfilerIsStoppedAndItsFileCompleteBeforeSigtermReachesTheJvm() throws Exception {
        Path run = dir.resolve("run");
        Path status = dir.resolve("status");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new RecordCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        // the program reads async-profiler's file in its shutdown hook, then hangs there until record kills it:
        // its VM-exit handlers (where async-profiler would finish the file itself) never run. Without the stop before
        // SIGTERM the program reads "unreadable" and the killed JVM leaves a file without metadata (tried by hand).
        // 15 s of stop timeout: parsing the file in the hook takes seconds on a loaded machine
        int code = cl.execute("--out", run.toString(), "--duration", "8s", "--async-profiler", "nativemem",
                "--stop-timeout", "15s", "--no-progress", "--app-log", dir.resolve("app.log").toString(), "--",
                java.toString(), "-Xmx64m", "-Dleak.checkJfr=" + run.toAbsolutePath().resolve("async-profiler.jfr"),
                "-Dleak.hangOnExit=true", "-cp", NativeLeakApp.classPath(), NativeLeakApp.class.getName(), "deflater",
                status.toString());
        assertThat(code).as(out.toString()).isZero(); // killed by record on purpose (137) counts as 0
        JsonNode m = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
        assertThat(m.get("exitCode").asInt()).isEqualTo(137);
        assertThat(m.get("stoppedBy").asText()).isEqualTo("duration");
        List<String> notes = new ArrayList<>();
        m.get("notes").forEach(n -> notes.add(n.asText()));
        assertThat(notes).containsExactly("the JVM did not exit within 15 s of SIGTERM; killed");
        assertThat(artifacts(m)).containsExactly("async-profiler.jfr=async-profiler-jfr", "rss.csv=rss");

        assertThat(status).as(listing(run) + Files.readString(dir.resolve("app.log"))).exists();
        String s = Files.readString(status).trim();
        String atExit = s.replaceAll(".*jfrMallocsAtExit=(\\S+).*", "$1");
        assertThat(atExit).as(s).matches("\\d+");
        long mallocsAtSigterm = Long.parseLong(atExit);
        assertThat(mallocsAtSigterm).isGreaterThan(100);
        // complete at SIGTERM, and nothing was added after it
        assertThat(RecordPidTest.count(run.resolve("async-profiler.jfr"), "profiler.Malloc")).isEqualTo(mallocsAtSigterm);
    }
}
