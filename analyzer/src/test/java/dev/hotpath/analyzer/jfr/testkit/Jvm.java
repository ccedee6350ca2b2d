package dev.hotpath.analyzer.jfr.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Spawns a real JVM running one of the test apps (from the test classes directory) and waits for it. */
public final class Jvm {
    private Jvm() {
    }

    public static Path javaHome17() {
        return Path.of(System.getProperty("java.home"));
    }

    public static Path testClasses() {
        try {
            return Path.of(Jvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code mainClass} with the JVM options and program args; returns its output; fails on a non-zero exit. */
    public static String run(Path javaHome, List<String> jvmOptions, Class<?> mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(testClasses().toString());
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("hotpath-jvm", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test JVM did not finish: " + cmd);
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("test JVM exited " + p.exitValue() + ": " + cmd + "\n" + text);
            }
            return text;
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    /** {@code -XX:StartFlightRecording} writing {@code file} with the given settings ("default", "profile" or a .jfc). */
    public static String jfr(Path file, String settings) {
        return "-XX:StartFlightRecording=filename=" + file + ",settings=" + settings;
    }
}
