package dev.hotpath.analyzer.gclog;

import dev.hotpath.analyzer.jfr.apps.HealthyApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.gc.ConcurrentPhase;
import dev.hotpath.analyzer.rules.gc.ConcurrentShareRule;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector's concurrent phases from GC logs: their statistics, the wall time they covered (nested and
 * overlapping phases counted once), the allocation rate told by the heap before and after the pauses, and
 * {@code gc.concurrent-share} on collectors that barely keep up, and not on healthy programs.
 */
class GcConcurrentTest {
    private static final Path JDK17 = Path.of(System.getProperty("java.home"));
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path dir;

    private static String line(double uptimeS, String tags, String msg) {
        return String.format("[%.3fs][info][%s] %s%n", uptimeS, tags, msg);
    }

    /**
     * A G1 log in JDK 17's exact format: three marking cycles (one with a nested phase), three young pauses (one
     * during a cycle).
     */
    private static String g1Log() {
        return line(0.010, "gc", "Using G1")
                + line(0.011, "gc,init", "Heap Max Capacity: 100M")
                + line(1.000, "gc", "GC(0) Pause Young (Normal) (G1 Evacuation Pause) 60M->20M(100M) 5.000ms")
                + line(2.000, "gc", "GC(1) Concurrent Mark Cycle")
                + line(2.100, "gc,marking", "GC(1) Concurrent Mark From Roots")
                + line(2.500, "gc,marking", "GC(1) Concurrent Mark From Roots 400.000ms")
                + line(3.000, "gc", "GC(1) Concurrent Mark Cycle 1000.000ms")
                + line(5.500, "gc", "GC(3) Pause Young (Normal) (G1 Evacuation Pause) 70M->30M(100M) 4.000ms")
                + line(6.000, "gc", "GC(2) Concurrent Mark Cycle 2000.000ms")
                + line(9.000, "gc", "GC(4) Concurrent Mark Cycle 2500.000ms")
                + line(9.500, "gc", "GC(5) Pause Young (Normal) (G1 Evacuation Pause) 50M->25M(100M) 3.000ms")
                + line(10.010, "gc,heap,exit", "Heap");
    }

    @Test
    void phasesAreCountedOnceWhereTheyNestAndTheShareIsJudged() throws Exception {
        Path f = dir.resolve("gc.log");
        Files.writeString(f, g1Log());
        GcSummary gc = GcLogTest.log(f);
        assertThat(gc.concurrentPhases()).containsExactly(
                new ConcurrentPhase("Concurrent Mark Cycle", 3, 5_500_000_000L, 2_000_000_000L, 2_500_000_000L,
                        2_500_000_000L),
                new ConcurrentPhase("Concurrent Mark From Roots", 1, 400_000_000L, 400_000_000L, 400_000_000L,
                        400_000_000L));
        assertThat(gc.concurrentCycles()).isEqualTo(3);
        // [2.0, 3.0] holds [2.1, 2.5]; then [4.0, 6.0] and [6.5, 9.0]; the young pause [5.496, 5.5] is not
        // concurrent work
        assertThat(gc.concurrentBusyMs()).isEqualTo(5500);
        assertThat(gc.concurrentBusyOutsidePausesMs()).isEqualTo(5496);
        assertThat(gc.concurrentLongestStretchMs()).isEqualTo(2500);
        // (70 - 20) MB over 4.5 s, then (50 - 30) MB over 4 s
        assertThat(gc.allocationBytesPerSecondFromHeap()).isEqualTo(70.0 * 1024 * 1024 * 1000 / 8500);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) gc.toJson();
        assertThat(json.get("allocationFromHeap").toString())
                .isEqualTo("{collectionPairs=2, allocatedBytes=73400320, spanMs=8500, bytesPerSecond=8635332}");
        assertThat(json.get("concurrent").toString()).startsWith(
                "{cycles=3, busyMs=5500, longestStretchMs=2500, stretches=3, busyOutsidePausesMs=5496, phases=[{name="
                        + "Concurrent Mark Cycle, ");

        List<Finding> fs = Contexts.evaluate(new ConcurrentShareRule(), List.of(gc));
        assertThat(fs).hasSize(1);
        Finding finding = fs.get(0);
        assertThat(finding.severity()).isEqualTo(Severity.WARNING);
        // 5496 ms of the 10000 - 12 ms the application ran
        assertThat(finding.title()).isEqualTo("G1's concurrent phases ran 55% of the time the application ran");
        assertThat(finding.summary()).isEqualTo("Concurrent phases ran for 5.5 s of the 10 s the application ran (55%),"
                + " in 3"
                + " collections; the longest stretch without a break was 2.5 s. Most concurrent time: Concurrent Mark"
                + " Cycle (3 × p50 2000 ms, max 2500 ms). Heap after GC: median 25 MB of 100 MB max (25%). The"
                + " application allocated 8.2 MB/s between pauses.");
        assertThat(finding.evidence()).containsEntry("sharePercent", 55.0).containsEntry("busyMs", 5496L)
                .containsEntry("durationMs", 10000L).containsEntry("runningMs", 9988L).containsEntry("cycles", 3L)
                .containsEntry("longestStretchMs", 2500L).containsEntry("topPhase", "Concurrent Mark Cycle")
                .containsEntry("heapAfterGcMedianMb", 25.0).containsEntry("heapMaxMb", 100.0)
                .containsEntry("allocationMbPerSecond", 8.2).containsEntry("thresholdPercent", 50.0);
        assertThat(finding.recommendation()).contains("-XX:InitiatingHeapOccupancyPercent")
                .endsWith("a burst of allocation ends in to-space exhaustion and full GCs.");

        // the same run judged against a higher bar stays silent
        assertThat(Contexts.evaluate(new ConcurrentShareRule(), List.of(gc),
                "gc.concurrent-share.warningPercent=60")).isEmpty();
    }

    @Test
    void aBaselineOfGcLogsComparesTheAllocationRateTheLogsTell() throws Exception {
        Path base = dir.resolve("base.log");
        Path now = dir.resolve("now.log");
        Files.writeString(base, g1Log());
        // the same pauses with the heap before each twice as far above the previous heap after
        Files.writeString(now, g1Log().replace("70M->30M", "120M->30M").replace("50M->25M", "70M->25M"));
        GcSummary b = GcLogTest.log(base);
        GcSummary a = GcLogTest.log(now);
        // (100 + 40) MB over 8.5 s against (50 + 20) MB over 8.5 s
        List<Finding> fs = Contexts.evaluate(new dev.hotpath.analyzer.rules.allocation.BaselineRateRule(),
                List.of(a), List.of(b), "allocation.baseline-rate.minChangeMBps=5");
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.title()).isEqualTo("Allocation rate rose 101.2% over the baseline (16.5 MB/s)");
        assertThat(f.summary()).isEqualTo("The heap grew 16.5 MB/s between GC pauses against 8.2 MB/s in the baseline"
                + " (+101.2%): the application allocates that much more.");
        assertThat(f.evidence()).containsEntry("measuredBy", "heap growth between GC pauses")
                .containsEntry("baselineMBps", 8.2).containsEntry("rateMBps", 16.5);
        assertThat(Contexts.evaluate(new dev.hotpath.analyzer.rules.allocation.BaselineRateRule(), List.of(b),
                List.of(a))).isEmpty();
    }

    @Test
    void withoutAClockThePhasesAreCountedButNotJudged() throws Exception {
        Path f = dir.resolve("gc.log");
        // the same lines with the decorations stripped (-Xlog:gc*:file=F:none)
        Files.writeString(f, g1Log().replaceAll("(?m)^\\[[^]]*\\]\\[info\\]\\[[^]]*\\] ", ""));
        GcSummary gc = GcLogTest.log(f);
        assertThat(gc.concurrentPhases()).extracting(ConcurrentPhase::name, ConcurrentPhase::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Concurrent Mark Cycle", 3L),
                        org.assertj.core.groups.Tuple.tuple("Concurrent Mark From Roots", 1L));
        assertThat(gc.concurrentBusyMs()).isEqualTo(-1);
        assertThat(gc.allocationBytesPerSecondFromHeap()).isNaN();
        assertThat(Contexts.evaluate(new ConcurrentShareRule(), List.of(gc))).isEmpty();
    }

    @Test
    void generationalZgcNamesTheGenerationAndShenandoahDropsItsModes() throws Exception {
        GcSummary z = GcLogFormatsTest.ingest(GcLogFormatsTest.fixture("zgc-generational-jdk25.log"))
                .one(GcSummary.class);
        assertThat(z.concurrentPhases()).extracting(ConcurrentPhase::name).contains("Concurrent Mark (young)",
                "Concurrent Mark (old)", "Concurrent Relocate (young)", "Concurrent Relocate (old)");
        assertThat(z.concurrentPhases()).extracting(ConcurrentPhase::name).allMatch(n -> n.startsWith("Concurrent "));
        GcSummary sh = GcLogFormatsTest.ingest(GcLogFormatsTest.fixture("shenandoah-jdk17.log")).one(GcSummary.class);
        assertThat(sh.concurrentPhases()).extracting(ConcurrentPhase::name).contains("Concurrent marking",
                "Concurrent weak roots", "Concurrent cleanup").noneMatch(n -> n.contains("(") || n.contains("->"));
    }

    /**
     * Real JVMs. A live set that fills most of a 96 MB heap while it keeps turning into garbage: ZGC (JDK 25) and
     * Shenandoah (JDK 17) collect concurrently for most of the run. The healthy program under the same collectors,
     * and under G1, gives no such finding.
     */
    @Test
    void realCollectorsThatBarelyKeepUpAreFoundAndHealthyOnesAreNot() throws Exception {
        Map<String, CompletableFuture<GcSummary>> runs = new LinkedHashMap<>();
        runs.put("tight-z25", run(JDK25, "-XX:+UseZGC", "-Xmx96m", TightHeapApp.class, "6000", "44", "0"));
        runs.put("tight-shenandoah17", run(JDK17, "-XX:+UseShenandoahGC", "-Xmx96m", TightHeapApp.class, "6000",
                "56", "0"));
        for (CompletableFuture<GcSummary> f : runs.values()) {
            f.join();
        }
        runs.put("healthy-z25", run(JDK25, "-XX:+UseZGC", "-Xmx256m", HealthyApp.class, "6000"));
        runs.put("healthy-shenandoah17", run(JDK17, "-XX:+UseShenandoahGC", "-Xmx256m", HealthyApp.class, "6000"));
        runs.put("healthy-g1-17", run(JDK17, "-XX:+UseG1GC", "-Xmx256m", HealthyApp.class, "6000"));
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<GcSummary>> r : runs.entrySet()) {
            GcSummary gc = r.getValue().get();
            for (Finding f : Contexts.evaluate(new ConcurrentShareRule(), List.of(gc))) {
                found.add(r.getKey() + " " + f.evidence().get("gc") + " " + f.severity());
                assertThat((Double) f.evidence().get("sharePercent")).as(r.getKey()).isBetween(50.0, 100.0);
                assertThat((Long) f.evidence().get("cycles")).as(r.getKey()).isGreaterThanOrEqualTo(3L);
            }
            if (r.getKey().startsWith("tight")) {
                assertThat(gc.concurrentCycles()).as(r.getKey()).isGreaterThanOrEqualTo(10);
                assertThat(gc.concurrentBusyMs()).as(r.getKey()).isGreaterThanOrEqualTo(
                        gc.concurrentBusyOutsidePausesMs());
            }
        }
        assertThat(found).extracting(s -> s.substring(0, s.lastIndexOf(' ')))
                .containsExactly("tight-z25 Z", "tight-shenandoah17 Shenandoah");
    }

    /**
     * One JVM (JDK 25, ZGC, the tight heap) recorded with JFR and logged at once: JFR's jdk.GCPhaseConcurrent events
     * give the same collections and phases as the log's lines, and the same finding; a G1 recording's heap before and
     * after its young pauses gives the allocation rate between them.
     */
    @Test
    void jfrTellsTheConcurrentWorkTheLogTells() throws Exception {
        Path log = dir.resolve("z.log");
        Path rec = dir.resolve("z.jfr");
        Path g1 = dir.resolve("g1.jfr");
        CompletableFuture<String> z = CompletableFuture.supplyAsync(() -> jvm(JDK25, List.of("-XX:+UseZGC", "-Xmx96m",
                "-Xlog:gc*:file=" + log + ":uptime", "-XX:StartFlightRecording=filename=" + rec),
                TightHeapApp.class, "6000", "44", "0"));
        CompletableFuture<String> g = CompletableFuture.supplyAsync(() -> jvm(JDK17, List.of("-XX:+UseG1GC", "-Xmx256m",
                "-XX:StartFlightRecording=filename=" + g1), HealthyApp.class, "3000"));
        z.join();
        g.join();
        GcSummary fromLog = GcLogTest.log(log);
        GcSummary fromJfr = Contexts.ingest(new dev.hotpath.analyzer.jfr.JfrIngester(), rec,
                dev.hotpath.analyzer.model.ArtifactType.JFR).one(GcSummary.class);
        assertThat(fromJfr.concurrentCycles()).isGreaterThanOrEqualTo(10);
        // the recording starts a little after the log's first line, and its last chunk ends a little earlier
        assertThat((double) fromJfr.concurrentCycles()).isCloseTo(fromLog.concurrentCycles(),
                org.assertj.core.data.Percentage.withPercentage(15));
        assertThat(fromJfr.concurrentPhases()).extracting(ConcurrentPhase::name).contains("Concurrent Mark",
                "Concurrent Relocate");
        for (GcSummary gc : List.of(fromLog, fromJfr)) {
            assertThat(Contexts.evaluate(new ConcurrentShareRule(), List.of(gc))).extracting(f -> f.evidence().get("gc"))
                    .containsExactly("Z");
        }
        GcSummary young = Contexts.ingest(new dev.hotpath.analyzer.jfr.JfrIngester(), g1,
                dev.hotpath.analyzer.model.ArtifactType.JFR).one(GcSummary.class);
        System.out.printf("GcConcurrentTest: JFR %d cycles %s, log %d cycles %s; G1 young: %s B/s%n",
                fromJfr.concurrentCycles(), fromJfr.concurrentPhases(), fromLog.concurrentCycles(),
                fromLog.concurrentPhases(), young.allocationBytesPerSecondFromHeap());
        assertThat(young.allocationBytesPerSecondFromHeap()).isPositive();
        assertThat(young.concurrentPhases()).isEmpty();
    }

    private static String jvm(Path jdk, List<String> options, Class<?> app, String... args) {
        try {
            return Jvm.run(jdk, options, app, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private CompletableFuture<GcSummary> run(Path jdk, String gcFlag, String heap, Class<?> app, String... args)
            throws Exception {
        Path log = Files.createTempFile(dir, app.getSimpleName(), ".log");
        return CompletableFuture.supplyAsync(() -> {
            jvm(jdk, List.of(gcFlag, heap, "-Xlog:gc*:file=" + log + ":uptime"), app, args);
            try {
                return GcLogTest.log(log);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
