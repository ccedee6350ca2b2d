package dev.hotpath.cli.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line and environment that wire the requested evidence into a {@code java} command: JVM options go
 * right after the executable (before {@code -jar}/the main class, where the launcher still reads them).
 *
 * @param command     the full command to start
 * @param environment variables set or changed for the child (also recorded in the manifest)
 */
public record JvmLaunch(List<String> command, Map<String, String> environment) {
    static final String[] JEMALLOC_PATHS = {
            "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib64/libjemalloc.so.2", "/usr/lib/libjemalloc.so.2",
            "/usr/local/lib/libjemalloc.so.2", "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2"};

    /** File names inside the run directory; the manifest lists what exists at the end. */
    public static final String JFR = "recording.jfr";
    public static final String ASYNC_JFR = "async-profiler.jfr";
    public static final String GC_LOG = "gc.log";
    public static final String AGENT_SNAPSHOT = "agent-snapshot.json";
    public static final String JEMALLOC_DIR = "jemalloc";
    public static final String JEMALLOC_STATS = "jemalloc-stats.txt";

    /**
     * @param profilerLib the extracted async-profiler library, or {@code null} when not requested
     * @throws IOException when jemalloc is requested but not installed
     */
    public static JvmLaunch build(RecordOptions o, Path profilerLib, Map<String, String> parentEnv) throws IOException {
        Path out = o.out().toAbsolutePath();
        List<String> jvm = new ArrayList<>();
        if (o.jfr()) {
            jvm.add("-XX:StartFlightRecording=name=hotpath,settings=profile,dumponexit=true,filename=" + out.resolve(JFR));
        }
        if (o.nmt()) {
            jvm.add("-XX:NativeMemoryTracking=summary");
        }
        if (o.gcLog()) {
            // decorations that every GC log parser reads: wall time, uptime, level, tags
            jvm.add("-Xlog:gc*,safepoint:file=" + out.resolve(GC_LOG) + ":time,uptime,level,tags");
        }
        if (profilerLib != null && !o.asyncProfiler().isEmpty()) {
            jvm.add("-agentpath:" + profilerLib + "="
                    + AsyncProfilerControl.startOptions(o.asyncProfiler(), out.resolve(ASYNC_JFR)));
        }
        if (o.agentJar() != null) {
            jvm.add("-javaagent:" + o.agentJar().toAbsolutePath() + "=snapshot=" + out.resolve(AGENT_SNAPSHOT));
        }
        List<String> command = new ArrayList<>();
        command.add(o.command().get(0));
        command.addAll(jvm);
        command.addAll(o.command().subList(1, o.command().size()));

        Map<String, String> env = new LinkedHashMap<>();
        if (o.jemalloc()) {
            Path lib = findJemalloc();
            if (lib == null) {
                throw new IOException("--jemalloc: libjemalloc.so.2 not found (install libjemalloc2)");
            }
            String preload = parentEnv.get("LD_PRELOAD");
            env.put("LD_PRELOAD", preload == null || preload.isBlank() ? lib.toString() : lib + ":" + preload);
            // a profile every 2^26 bytes (64 MiB) allocated keeps a growth series without flooding the directory
            env.put("MALLOC_CONF", "prof:true,prof_final:true,lg_prof_interval:26,stats_print:true,prof_prefix:"
                    + out.resolve(JEMALLOC_DIR).resolve("jeprof"));
        }
        return new JvmLaunch(command, env);
    }

    static Path findJemalloc() {
        for (String p : JEMALLOC_PATHS) {
            if (Files.isRegularFile(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** Whether the command starts a JVM we can wire options into ({@code java} or a path ending in {@code /java}). */
    public static boolean isJavaCommand(String executable) {
        String name = Path.of(executable).getFileName().toString();
        return name.equals("java") || name.equals("java.exe");
    }

    /** The java executable resolved through PATH when given bare. */
    public static Path resolveExecutable(String executable, Map<String, String> env) {
        if (executable.contains("/")) {
            return Path.of(executable);
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, executable);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The JDK home of a java executable (following links), or {@code null}. */
    public static Path javaHome(Path javaExecutable) {
        try {
            Path real = javaExecutable.toRealPath();
            Path home = real.getParent() == null ? null : real.getParent().getParent();
            return home != null && Files.isRegularFile(home.resolve("release")) ? home : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code JAVA_VERSION} from the JDK's {@code release} file, or "" if unknown. */
    public static String javaVersion(Path javaHome) {
        if (javaHome == null) {
            return "";
        }
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                }
            }
        } catch (IOException ignored) {
            // unknown version is recorded as ""
        }
        return "";
    }
}
