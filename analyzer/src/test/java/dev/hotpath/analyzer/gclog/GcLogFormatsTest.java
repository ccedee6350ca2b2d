package dev.hotpath.analyzer.gclog;

import dev.hotpath.analyzer.detect.ArtifactDetector;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.pipeline.Analysis;
import dev.hotpath.analyzer.pipeline.AnalysisOptions;
import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.rules.gc.FullGcRule;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import dev.hotpath.analyzer.rules.gc.PauseStats;
import dev.hotpath.analyzer.rules.gc.SystemGcRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * GC log formats our other tests never made, each a small fixture written by a real JVM here, with exact numbers
 * counted from the file with grep/awk (pause end lines per GC id, "System.gc()" ids, sum of pause times).
 *
 * <p>The fixtures ({@code src/test/resources/dev/hotpath/analyzer/gclog/}), made with {@code FixApp N MS}: a loop that
 * allocates 4 KB arrays for MS ms and calls System.gc() N times, evenly spaced:
 * <ul>
 * <li>{@code zgc-generational-jdk25.log}: Temurin 25.0.3, {@code -XX:+UseZGC -Xmx128m
 *     -Xlog:gc,gc+phases:file=F:uptime,level,tags}, FixApp 3 800</li>
 * <li>{@code shenandoah-jdk17.log}: OpenJDK 17.0.15, {@code -XX:+UseShenandoahGC -Xmx64m
 *     -Xlog:gc:file=F:uptime,level,tags}, FixApp 3 800</li>
 * <li>{@code shenandoah-fullgc-jdk25.log}: Temurin 25.0.3, {@code -XX:+UseShenandoahGC -Xmx64m
 *     -XX:-ExplicitGCInvokesConcurrent -Xlog:gc:file=F:uptime,level,tags}, FixApp 3 800</li>
 * <li>{@code g1-pid-tid.log}, {@code g1-time-uptimemillis.log}, {@code g1-uptimenanos.log}: OpenJDK 17.0.15,
 *     {@code -XX:+UseG1GC -Xmx64m -Xlog:gc:file=F:pid,tid} (resp. {@code :time,uptimemillis}, {@code :uptimenanos}),
 *     FixApp 3 500</li>
 * <li>{@code safepoint-only.log}: OpenJDK 17.0.15, {@code -XX:+UseG1GC -Xmx64m
 *     -Xlog:safepoint:file=F:uptime,level,tags}, FixApp 2 300</li>
 * <li>{@code rotated-parallel-jdk17/}: OpenJDK 17.0.15, {@code -XX:+UseParallelGC -Xmx64m
 *     -Xlog:gc*:file=gc.log:uptime,level,tags:filecount=3,filesize=8k}, FixApp 40 400; the rotation wrapped, so no
 *     file holds the "Using Parallel" line</li>
 * <li>{@code parallel-heap-debug-jdk17.log}: OpenJDK 17.0.15, {@code -XX:+UseParallelGC -Xmx256m
 *     -Xlog:gc+heap=debug:file=F:uptime,level,tags}, FixApp 2 150</li>
 * </ul>
 */
class GcLogFormatsTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws Exception {
        return Path.of(GcLogFormatsTest.class.getResource("/dev/hotpath/analyzer/gclog/" + name).toURI());
    }

    static Contexts.Ingested ingest(Path file) throws Exception {
        return Contexts.ingest(new GcLogIngester(), file, ArtifactType.GCLOG);
    }

    /** collector/cause → count, the way the fixture's pause lines were counted by hand. */
    static Map<String, Long> counts(GcSummary s) {
        Map<String, Long> m = new TreeMap<>();
        for (PauseStats p : s.pauses()) {
            m.put(p.collector() + "/" + p.cause(), p.count());
        }
        return m;
    }

    @Test
    void generationalZgcCountsMinorCollectionsWhosePhasesArePrefixedWithLowerCaseY() throws Exception {
        GcSummary s = ingest(fixture("zgc-generational-jdk25.log")).one(GcSummary.class);
        assertThat(s.gcName()).isEqualTo("Z");
        // 65 GC ids with pauses: 57 minor ("y: Pause Mark Start"), 8 major ("Y: Pause Mark Start (Major)")
        assertThat(counts(s)).isEqualTo(Map.of("ZGC Minor/Allocation Rate", 57L, "ZGC Major/Warmup", 3L,
                "ZGC Major/System.gc()", 3L, "ZGC Major/Allocation Rate", 2L));
        assertThat(s.totalPauseNanos()).isEqualTo(1_425_000L);
        assertThat(s.events().systemGcs()).isEqualTo(3);
        assertThat(s.events().fullGcs()).isZero();
        // one heap-after sample per "Minor/Major Collection (…) a->b" line that has an arrow
        assertThat(s.heapAfterBytes()).hasSize(64);
    }

    @Test
    void shenandoahCyclesAreOneCollectionEachWithTheirTriggersCause() throws Exception {
        GcSummary s = ingest(fixture("shenandoah-jdk17.log")).one(GcSummary.class);
        assertThat(s.gcName()).isEqualTo("Shenandoah");
        // 10 cycles (GC ids), 30 pause lines; 3 triggered by "Trigger: Explicit GC request (System.gc())"
        assertThat(counts(s)).isEqualTo(Map.of("Shenandoah/Concurrent GC", 7L, "Shenandoah/System.gc()", 3L));
        assertThat(s.totalPauseNanos()).isEqualTo(418_000L);
        assertThat(s.events().systemGcs()).isEqualTo(3);
        assertThat(s.events().fullGcs()).isZero();
        assertThat(Contexts.evaluate(new dev.hotpath.analyzer.rules.gc.CollectorDistressRule.DegeneratedCycles(), List.of(s))).isEmpty();
    }

    @Test
    void shenandoahFullAndDegeneratedCyclesAreToldApart() throws Exception {
        GcSummary s = ingest(fixture("shenandoah-fullgc-jdk25.log")).one(GcSummary.class);
        // 39 GC ids: 3 "Pause Full" after "Trigger: GC request (System.gc())", 1 "Pause Degenerated GC (Outside of
        // Cycle)", 35 concurrent cycles
        assertThat(counts(s)).isEqualTo(Map.of("Shenandoah Full/System.gc()", 3L, "Shenandoah/Concurrent GC", 35L,
                "Shenandoah/Allocation Failure", 1L));
        assertThat(s.totalPauseNanos()).isEqualTo(21_756_000L);
        assertThat(s.events().fullGcs()).isEqualTo(3);
        assertThat(s.events().systemGcs()).isEqualTo(3);
        assertThat(Contexts.evaluate(new SystemGcRule(), List.of(s))).singleElement()
                .satisfies(f -> assertThat(f.evidence()).containsEntry("count", 3L)
                        .containsEntry("collector", "Shenandoah Full"));
        // System.gc() full collections are gc.system-gc's, not gc.full-gcs'
        assertThat(Contexts.evaluate(new FullGcRule(), List.of(s))).isEmpty();
        // the one degenerated cycle is a warning of its own
        assertThat(Contexts.evaluate(new dev.hotpath.analyzer.rules.gc.CollectorDistressRule.DegeneratedCycles(), List.of(s)))
                .singleElement().satisfies(f -> {
                    assertThat(f.id()).isEqualTo("gc.degenerated-cycles");
                    // one in the log's few seconds is past criticalPerMinute (6)
                    assertThat(f.severity()).isEqualTo(dev.hotpath.analyzer.model.Severity.CRITICAL);
                    assertThat((Double) f.evidence().get("perMinute")).isGreaterThanOrEqualTo(6.0);
                    assertThat(f.title()).isEqualTo("1 Shenandoah cycles degenerated to stop-the-world (allocation failure)");
                    assertThat(f.evidence()).containsEntry("count", 1L).containsEntry("gc", "Shenandoah");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"g1-pid-tid.log", "g1-time-uptimemillis.log", "g1-uptimenanos.log", "safepoint-only.log"})
    void logsDecoratedWithoutTagsAreDetectedAsGcLogs(String name) throws Exception {
        assertThat(new ArtifactDetector().detect(fixture(name)).type()).isEqualTo(ArtifactType.GCLOG);
    }

    @Test
    void decorationsWithoutTagsStillGivePausesAndTheirClock() throws Exception {
        Contexts.Ingested pidTid = ingest(fixture("g1-pid-tid.log"));
        GcSummary a = pidTid.one(GcSummary.class);
        assertThat(counts(a)).isEqualTo(Map.of("G1New/G1 Evacuation Pause", 22L, "G1Full/System.gc()", 3L,
                "G1New/G1 Preventive Collection", 7L));
        assertThat(a.totalPauseNanos()).isEqualTo(81_916_000L);
        assertThat(a.durationMs()).isZero();
        assertThat(pidTid.notes).singleElement().asString().contains("no time decorations");

        GcSummary b = ingest(fixture("g1-time-uptimemillis.log")).one(GcSummary.class);
        assertThat(counts(b)).isEqualTo(Map.of("G1New/G1 Evacuation Pause", 33L, "G1Full/System.gc()", 3L,
                "G1New/G1 Preventive Collection", 5L));
        assertThat(b.totalPauseNanos()).isEqualTo(47_101_000L);
        assertThat(b.epochClock()).isTrue();

        GcSummary c = ingest(fixture("g1-uptimenanos.log")).one(GcSummary.class);
        assertThat(counts(c)).isEqualTo(Map.of("G1New/G1 Evacuation Pause", 18L, "G1Full/System.gc()", 3L,
                "G1New/G1 Preventive Collection", 4L));
        assertThat(c.totalPauseNanos()).isEqualTo(51_562_000L);
        assertThat(c.epochClock()).isFalse();
        // first line [15402156ns] Using G1 → 15 ms of uptime
        assertThat(c.rangeStartMs()).isEqualTo(15);
    }

    @Test
    void aSafepointOnlyLogSaysWhatToLogInstead() throws Exception {
        assertThatThrownBy(() -> ingest(fixture("safepoint-only.log")))
                .isInstanceOf(UnusableInputException.class)
                .hasMessageContaining("safepoint-only.log")
                .hasMessageContaining("a safepoint log (17 -Xlog:safepoint lines) with no GC lines")
                .hasMessageContaining("-Xlog:gc*,safepoint");
    }

    @Test
    void aWrappedRotationWithoutItsUsingLineStillNamesTheCollectorAndFindsFullGcs() throws Exception {
        Analysis an = Analyzer.withInstalledPlugins().analyze(List.of(fixture("rotated-parallel-jdk17")),
                AnalysisOptions.defaults());
        List<GcSummary> gcs = an.allSummaries().stream().filter(GcSummary.class::isInstance)
                .map(GcSummary.class::cast).toList();
        assertThat(gcs).hasSize(1);
        GcSummary s = gcs.get(0);
        assertThat(s.gcName()).isEqualTo("Parallel");
        // 42 GC ids across the four files: 28 young for allocation, 7 System.gc() calls (a young then a full each)
        assertThat(counts(s)).isEqualTo(Map.of("ParallelScavenge/Allocation Failure", 28L,
                "ParallelOld/System.gc()", 7L, "ParallelScavenge/System.gc()", 7L));
        assertThat(s.totalPauseNanos()).isEqualTo(54_583_000L);
        assertThat(s.events().fullGcs()).isEqualTo(7);
        assertThat(s.events().systemGcs()).isEqualTo(7);
        List<Finding> sys = an.run().findings().stream().filter(f -> f.id().equals(SystemGcRule.ID)).toList();
        assertThat(sys).singleElement().satisfies(f -> assertThat(f.evidence()).containsEntry("count", 7L));
    }

    @Test
    void collectionsBeforeTheFirstLineNamingTheCollectorAreNamedOnceItIsKnown() throws Exception {
        // gc.log.1 starts with "GC(105) Pause Young (Allocation Failure) …" before any PSYoungGen/ParOldGen line
        assertThat(Files.readAllLines(fixture("rotated-parallel-jdk17/gc.log.1")).get(0))
                .contains("GC(105) Pause Young (Allocation Failure)");
        GcSummary s = ingest(fixture("rotated-parallel-jdk17/gc.log.1")).one(GcSummary.class);
        assertThat(counts(s)).isEqualTo(Map.of("ParallelScavenge/Allocation Failure", 8L,
                "ParallelOld/System.gc()", 2L, "ParallelScavenge/System.gc()", 3L));
        assertThat(s.totalPauseNanos()).isEqualTo(18_714_000L);
    }

    @Test
    void aLogCutMidLineIsReadToItsLastCompleteLineAndSaysSo() throws Exception {
        byte[] whole = Files.readAllBytes(fixture("zgc-generational-jdk25.log"));
        Path cut = dir.resolve("cut.log");
        Files.write(cut, Arrays.copyOf(whole, 3000));
        Contexts.Ingested in = ingest(cut);
        GcSummary s = in.one(GcSummary.class);
        assertThat(counts(s)).isEqualTo(Map.of("ZGC Major/Warmup", 2L));
        assertThat(s.totalPauseNanos()).isEqualTo(150_000L);
        assertThat(in.notes).singleElement().asString()
                .isEqualTo("cut.log: GC log ends mid-line at byte 3000 (cut, or the JVM was still writing it); "
                        + "read up to its last complete line");
    }

    @Test
    void aHeapDebugOnlyLogGivesTheHeapAfterEachCollection() throws Exception {
        GcSummary s = ingest(fixture("parallel-heap-debug-jdk17.log")).one(GcSummary.class);
        assertThat(s.gcName()).isEqualTo("Parallel");
        // PSYoungGen + ParOldGen "used" in each "Heap after GC" block: 496K+0K, 453K+0K, 485K+0K, 453K+0K
        assertThat(s.heapAfterBytes()).containsExactly(496L << 10, 453L << 10, 485L << 10, 453L << 10);
        // "Minimum heap 8388608  Initial heap 268435456  Maximum heap 268435456"
        assertThat(s.heapMaxBytes()).isEqualTo(256L << 20);
    }
}
