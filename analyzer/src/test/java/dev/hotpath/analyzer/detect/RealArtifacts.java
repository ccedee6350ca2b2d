package dev.hotpath.analyzer.detect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes real artifacts with real processes: one JVM recorded with JFR and unified GC logging (decorated and
 * undecorated) under NMT detail, queried with jcmd (NMT summary, detail, summary.diff; heap dumps plain and -gz);
 * a JVM under async-profiler; {@code java -version} under jemalloc with profiling and with stats printing.
 */
public final class RealArtifacts {
    public final Path dir;
    public final Path jfr;
    public final Path gcDecorated;
    public final Path gcUndecorated;
    public final Path nmtSummary;
    public final Path nmtDetail;
    public final Path nmtDiff;
    public final Path hprof;
    public final Path hprofGz;
    public final long pid;

    private RealArtifacts(Path dir, long pid) {
        this.dir = dir;
        this.pid = pid;
        this.jfr = dir.resolve("recording.jfr");
        this.gcDecorated = dir.resolve("gc-decorated.log");
        this.gcUndecorated = dir.resolve("gc-plain.log");
        this.nmtSummary = dir.resolve("nmt-summary.txt");
        this.nmtDetail = dir.resolve("nmt-detail.txt");
        this.nmtDiff = dir.resolve("nmt-diff.txt");
        this.hprof = dir.resolve("heap.hprof");
        this.hprofGz = dir.resolve("heap-gz.hprof");
    }

    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Path jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    /** The JVM recording, the GC logs, the NMT reports and the heap dumps, all from one process. */
    public static RealArtifacts make(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path jfr = dir.resolve("recording.jfr");
        Process p = new ProcessBuilder(java().toString(), "-Xmx64m", "-XX:NativeMemoryTracking=detail",
                "-XX:StartFlightRecording=filename=" + jfr + ",settings=default",
                "-Xlog:gc*:file=" + dir.resolve("gc-decorated.log"),
                "-Xlog:gc*:file=" + dir.resolve("gc-plain.log") + ":none",
                "-cp", System.getProperty("java.class.path"), ArtifactMaker.class.getName())
                .redirectError(dir.resolve("maker.err").toFile())
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            expect(out, "ready");
            RealArtifacts a = new RealArtifacts(dir, p.pid());
            jcmd(p.pid(), a.nmtSummary, "VM.native_memory", "summary");
            jcmd(p.pid(), a.nmtDetail, "VM.native_memory", "detail");
            jcmd(p.pid(), null, "VM.native_memory", "baseline");
            in.write("grow\n");
            in.flush();
            expect(out, "grown");
            jcmd(p.pid(), a.nmtDiff, "VM.native_memory", "summary.diff");
            jcmd(p.pid(), null, "GC.heap_dump", a.hprof.toString());
            jcmd(p.pid(), null, "GC.heap_dump", "-gz=1", a.hprofGz.toString());
            in.write("exit\n");
            in.flush();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("artifact JVM did not exit cleanly: " + Files.readString(dir.resolve("maker.err")));
            }
            return a;
        } finally {
            p.destroyForcibly();
        }
    }

    private static void expect(BufferedReader out, String line) throws IOException {
        // JFR prints its start-up lines on stdout first
        String got;
        while ((got = out.readLine()) != null) {
            if (got.equals(line)) {
                return;
            }
        }
        throw new IllegalStateException("the artifact JVM ended before saying '" + line + "'");
    }

    private static void jcmd(long pid, Path output, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jcmd().toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] text;
        try (InputStream in = j.getInputStream()) {
            text = in.readAllBytes();
        }
        if (!j.waitFor(60, TimeUnit.SECONDS) || j.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + cmd + " failed: " + new String(text, StandardCharsets.UTF_8));
        }
        if (output != null) {
            Files.write(output, text);
        }
    }

    /** A recording written by async-profiler (the native library from the async-profiler jar on the test class path). */
    public static Path asyncProfilerJfr(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path lib = dir.resolve("libasyncProfiler.so");
        try (InputStream in = RealArtifacts.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
            if (in == null) {
                throw new IllegalStateException("async-profiler jar is not on the test class path");
            }
            Files.copy(in, lib);
        }
        Path out = dir.resolve("profile.jfr");
        run(dir, Map.of(), java().toString(), "-agentpath:" + lib + "=start,event=itimer,interval=1ms,jfr,file=" + out,
                "-cp", System.getProperty("java.class.path"), ArtifactMaker.class.getName(), "quick");
        return out;
    }

    /** jemalloc's final heap profile of {@code java -version} ({@code heap_v2}). */
    public static Path jemallocProfile(Path dir) throws Exception {
        Path jeDir = Files.createDirectories(dir.resolve("jeprof"));
        run(dir, Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
                "MALLOC_CONF", "prof:true,prof_final:true,prof_prefix:" + jeDir.resolve("jeprof")),
                java().toString(), "-version");
        try (Stream<Path> s = Files.list(jeDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".heap")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("jemalloc wrote no profile in " + jeDir));
        }
    }

    /** jemalloc's {@code malloc_stats_print} output at exit of {@code java -version} (it goes to stderr). */
    public static Path jemallocStats(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path stats = dir.resolve("jemalloc-stats.txt");
        ProcessBuilder pb = new ProcessBuilder(java().toString(), "-version").redirectErrorStream(true)
                .redirectOutput(stats.toFile()).directory(dir.toFile());
        pb.environment().put("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
        pb.environment().put("MALLOC_CONF", "stats_print:true");
        waitOk(pb.start(), "java -version under jemalloc stats_print");
        return stats;
    }

    private static void run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.out").toFile());
        pb.environment().putAll(env);
        waitOk(pb.start(), String.join(" ", cmd));
    }

    private static void waitOk(Process p, String what) throws Exception {
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed");
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
