package dev.hotpath.nativemem.testapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts {@link LeakyApp} in a child JVM of the given JDK and runs jcmd against it. */
public final class ChildJvm implements AutoCloseable {
    public static final Path JDK17 = Path.of(System.getProperty("java.home"));
    public static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private final Path javaHome;
    private final Process process;

    private ChildJvm(Path javaHome, Process process) {
        this.javaHome = javaHome;
        this.process = process;
    }

    /**
     * @param stderr file the child's stderr goes to (jemalloc prints its statistics there), or null to discard both
     *               streams; stdout goes beside it, to {@code <stderr>.out}
     */
    public static ChildJvm start(Path javaHome, List<String> jvmArgs, Map<String, String> env, String mode, long millis,
                                 Path stderr) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", LeakyApp.classPath(), LeakyApp.class.getName(), mode, Long.toString(millis)));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(stderr == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stderr.toFile()));
        pb.environment().putAll(env);
        pb.redirectOutput(stderr == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.to(stderr.resolveSibling(stderr.getFileName() + ".out").toFile()));
        return new ChildJvm(javaHome, pb.start());
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Runs {@code jcmd PID args...} of the child's JDK and returns its output. */
    public String jcmd(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/jcmd").toString());
        cmd.add(Long.toString(pid()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Waits until the JVM answers jcmd (its attach listener is up), at most 20 s. */
    public void awaitAttachable() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (jcmd("VM.version").contains("JDK")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("child JVM " + pid() + " never answered jcmd");
    }

    public int waitFor() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child JVM did not exit");
        }
        return process.exitValue();
    }

    /** The number LeakyApp printed ("created N"), read from the stdout file beside {@code stderr}. */
    public static long created(Path stderr) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(stderr.resolveSibling(stderr.getFileName() + ".out"))) {
            if (line.startsWith("created ")) {
                return Long.parseLong(line.substring("created ".length()).trim());
            }
        }
        throw new IllegalStateException("LeakyApp printed no 'created N' line");
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
