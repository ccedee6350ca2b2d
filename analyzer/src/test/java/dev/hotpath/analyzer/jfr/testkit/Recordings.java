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

    public record Run(Path jfr, Path gcLog) {
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
            Run f = new Run(dir.resolve("faulty.jfr"), dir.resolve("faulty-gc.log"));
            Run h = new Run(dir.resolve("healthy.jfr"), dir.resolve("healthy-gc.log"));
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> run(f, FaultyApp.class, "-Xmx256m"));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> run(h, HealthyApp.class, "-Xmx256m"));
            a.join();
            b.join();
            faulty = f;
            healthy = h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Run r, Class<?> app, String heap) {
        try {
            Jvm.run(Jvm.javaHome17(), List.of(heap, "-XX:+UseG1GC",
                    "-XX:StartFlightRecording=filename=" + r.jfr() + ",settings=profile,exceptions=all",
                    "-Xlog:gc*:file=" + r.gcLog()), app, Long.toString(RUN_MILLIS));
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
