package dev.hotpath.analyzer.gclog;

import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.gc.FullGcRule;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import dev.hotpath.analyzer.rules.gc.LiveSetGrowthRule;
import dev.hotpath.analyzer.rules.gc.LongPausesRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The false alarms of a healthy service on a busy machine, from unified GC logs in JDK 17's exact line format (taken
 * from a demo run's gc.log): tool-forced full GCs, a cache warming up, pauses stretched by CPU starvation.
 */
class GcLogFalseAlarmTest {
    @TempDir
    Path dir;

    private static String line(double uptimeS, String tags, String msg) {
        long ms = Math.round(uptimeS * 1000);
        return String.format("[2026-11-25T11:%02d:%02d.%03d+0000][%.3fs][info][%s] %s%n",
                54 + (int) (ms / 60_000), (int) (ms / 1000) % 60, ms % 1000, uptimeS, tags, msg);
    }

    private static String young(int id, double t, int beforeMb, int afterMb, double pauseMs, String cpu) {
        return line(t, "gc,start", "GC(" + id + ") Pause Young (Normal) (G1 Evacuation Pause)")
                + line(t, "gc", "GC(" + id + ") Pause Young (Normal) (G1 Evacuation Pause) " + beforeMb + "M->"
                + afterMb + "M(133M) " + String.format("%.3f", pauseMs) + "ms")
                + line(t, "gc,cpu", "GC(" + id + ") " + cpu);
    }

    private GcSummary parse(String body) throws Exception {
        Path f = dir.resolve("gc.log");
        Files.writeString(f, line(0.021, "gc", "Using G1") + line(0.053, "gc,init", "Heap Max Capacity: 256M")
                + body);
        return GcLogTest.log(f);
    }

    @Test
    void pauseWhoseGcThreadsWaitedForCpuIsInfoAndSaysSo() throws Exception {
        GcSummary gc = parse(young(1, 10, 65, 27, 222.993, "User=0.04s Sys=0.04s Real=0.22s"));
        assertThat(gc.longCollections()).isEqualTo(1);
        assertThat(gc.longCollectionCpuPerWall()).isCloseTo(0.08 / 0.22, org.assertj.core.data.Offset.offset(1e-9));
        Finding f = Contexts.evaluate(new LongPausesRule(), List.of(gc)).get(0);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsEntry("cpuStarved", true).containsEntry("gcCpuPerWall", 0.36)
                .containsEntry("p99PauseMs", 223.0);
        assertThat(f.summary()).contains("The GC threads used only 0.36 s of CPU per second of long collections");
    }

    @Test
    void pauseThatBurnedCpuStaysAWarning() throws Exception {
        GcSummary gc = parse(young(1, 10, 65, 27, 222.993, "User=0.40s Sys=0.02s Real=0.22s"));
        Finding f = Contexts.evaluate(new LongPausesRule(), List.of(gc)).get(0);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.evidence()).containsEntry("cpuStarved", false).containsEntry("gcCpuPerWall", 1.91);
    }

    @Test
    void heapDumpFullGcsAreToolInducedInfoNotWarnings() throws Exception {
        String full = line(0.43, "gc,start", "GC(0) Pause Full (Heap Dump Initiated GC)")
                + line(0.475, "gc", "GC(0) Pause Full (Heap Dump Initiated GC) 3M->1M(10M) 45.163ms")
                + line(75.0, "gc,start", "GC(1) Pause Full (Heap Dump Initiated GC)")
                + line(75.036, "gc", "GC(1) Pause Full (Heap Dump Initiated GC) 46M->20M(87M) 36.000ms");
        List<Finding> fs = Contexts.evaluate(new FullGcRule(), List.of(parse(full)));
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.title()).isEqualTo("2 full GCs forced by tooling (Heap Dump Initiated GC)");
        assertThat(f.evidence()).containsEntry("toolInduced", true).containsEntry("excludedToolInducedCount", 2L)
                .containsEntry("excludedToolInducedCauses", "Heap Dump Initiated GC");
        // an allocation-failure full GC in the same log is still a warning, and says what was left out
        String both = full + line(80.0, "gc,start", "GC(2) Pause Full (G1 Compaction Pause)")
                + line(80.1, "gc", "GC(2) Pause Full (G1 Compaction Pause) 250M->240M(256M) 100.000ms");
        List<Finding> mixed = Contexts.evaluate(new FullGcRule(), List.of(parse(both)));
        assertThat(mixed).extracting(Finding::severity).containsExactly(Severity.WARNING, Severity.INFO);
        assertThat(mixed.get(0).evidence()).containsEntry("cause", "G1 Compaction Pause")
                .containsEntry("excludedToolInducedCount", 2L);
    }

    @Test
    void cacheFillingToItsSizeIsWarmUpNotALeak() throws Exception {
        // the clean demo cache: the floor climbs to 20 MB in the first half, then stays there
        int[] after = {1, 2, 2, 2, 2, 6, 7, 27, 27, 28, 20};
        double[] at = {0.475, 0.773, 0.885, 1.081, 1.147, 8.890, 16.474, 31.709, 38.985, 43.916, 75.036};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < after.length; i++) {
            b.append(young(i, at[i], after[i] + 30, after[i], 5, "User=0.01s Sys=0.00s Real=0.01s"));
        }
        Finding f = Contexts.evaluate(new LiveSetGrowthRule(), List.of(parse(b.toString()))).get(0);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsEntry("flattening", true).containsEntry("lateSlopeMbPerMin", 0.0)
                .containsEntry("lastFloorMb", 20.0);
        assertThat(f.summary()).contains("the growth flattens");
        assertThat(f.title()).isEqualTo("Live set grew 25.1 MB/min, then flattened");
    }

    @Test
    void floorThatKeepsRisingIsALeakProjectedFromTheLateRate() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append(young(i, 5 + 6 * i, 60 + 10 * i, 10 + 10 * i, 5, "User=0.01s Sys=0.00s Real=0.01s"));
        }
        Finding f = Contexts.evaluate(new LiveSetGrowthRule(), List.of(parse(b.toString()))).get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("flattening", false).containsEntry("lateSlopeMbPerMin", 100.0)
                .containsEntry("slopeMbPerMin", 100.0);
    }
}
