package dev.hotpath.analyzer.jfr.testkit;

import dev.hotpath.analyzer.jfr.apps.FaultyApp;
import dev.hotpath.analyzer.jfr.apps.HealthyApp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Recordings shared by the test classes of one surefire JVM: the faulty and the healthy program are each run once
 * (concurrently), recorded with JFR (profile settings, exceptions=all) and with -Xlog:gc*.
 */
public final class Recordings {
    /** Both programs run this long; the faulty one's rates are per second, so a few seconds suffice. */
    public static final long RUN_MILLIS = 8_000;

    /** @param output what the program printed: the faulty one reports how many of each thing it did */
    public record Run(Path jfr, Path gcLog, String output) {
        /** A {@code key=value} integer from the program's last output line. */
        public long reported(String key) {
            for (String part : output.trim().split("\\s+")) {
                if (part.startsWith(key + "=")) {
                    return Long.parseLong(part.substring(key.length() + 1));
                }
            }
            throw new IllegalStateException("program did not report " + key + ": " + output);
        }
    }

    private static Path dir;
    private static Run faulty;
    private static Run healthy;

    private Recordings() {
    }

    public static synchronized Run faulty() {
        record();
        return faulty;
    }

    public static synchronized Run healthy() {
        record();
        return healthy;
    }

    public static synchronized Path dir() {
        record();
        return dir;
    }

    private static void record() {
        if (dir != null) {
            return;
        }
        try {
            dir = Files.createTempDirectory("hotpath-jfr-tests");
            Runtime.getRuntime().addShutdownHook(new Thread(Recordings::deleteDir));
            CompletableFuture<Run> a = CompletableFuture.supplyAsync(() -> run("faulty", FaultyApp.class));
            CompletableFuture<Run> b = CompletableFuture.supplyAsync(() -> run("healthy", HealthyApp.class));
            faulty = a.join();
            healthy = b.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run run(String name, Class<?> app) {
        Path jfr = dir.resolve(name + ".jfr");
        Path gcLog = dir.resolve(name + "-gc.log");
        try {
            // 1 MB chunks: the faulty recording is several chunks, as a long recording rotates them
            String out = Jvm.run(Jvm.javaHome17(), List.of("-Xmx256m", "-XX:+UseG1GC",
                    "-XX:FlightRecorderOptions:maxchunksize=1M",
                    "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,exceptions=all",
                    "-Xlog:gc*:file=" + gcLog), app, Long.toString(RUN_MILLIS));
            return new Run(jfr, gcLog, out.lines().reduce((x, y) -> y).orElse(""));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteDir() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
