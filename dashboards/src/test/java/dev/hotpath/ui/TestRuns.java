package dev.hotpath.ui;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.heap.HeapReport;
import dev.hotpath.analyzer.io.IoCallSite;
import dev.hotpath.analyzer.io.IoLatencyBucket;
import dev.hotpath.analyzer.io.IoSnapshot;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import dev.hotpath.analyzer.rules.gc.GcSummaryBuilder;
import dev.hotpath.analyzer.rules.heap.HeapSummary;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs with known content for the UI tests, including names that carry HTML, as hostile artifacts can. */
final class TestRuns {
    static final String EVIL_CLASS = "com.acme.<img src=x onerror=alert(1)>Cache";
    static final String EVIL_THREAD = "<script>alert('t')</script>";
    static final String EVIL_FILE = "heap-<b onmouseover=alert(2)>.hprof";

    private TestRuns() {
    }

    static Run leakyRun(String name, Instant at) {
        Artifact jfr = new Artifact(Path.of("/data/runs/recording.jfr"), ArtifactType.JFR, 1_234_567, "ab".repeat(32),
                Map.of("jdk", "17.0.15"));
        Artifact hprof = new Artifact(Path.of("/data/runs/" + EVIL_FILE), ArtifactType.HPROF, 9_876_543,
                "cd".repeat(32), Map.of());
        Finding critical = Finding.builder("heap.leak-suspect", Category.HEAP).severity(Severity.CRITICAL)
                .title("static " + EVIL_CLASS + ".ENTRIES retains 61% of the heap")
                .summary("One java.util.ArrayList holds 120000 " + EVIL_CLASS + " objects.")
                .evidence("retainedBytes", 41_000_000L).evidence("sharePercent", 61.0)
                .evidence("holder", "static " + EVIL_CLASS + ".ENTRIES")
                .recommendation("Bound the cache or evict entries.").source("heap.hprof").build();
        Finding warning = Finding.builder("gc.long-pauses", Category.GC).severity(Severity.WARNING)
                .title("G1 pauses reach 412 ms (p99 380 ms)")
                .summary("37 pauses of G1 Evacuation Pause on thread " + EVIL_THREAD)
                .evidence("p99PauseMs", 380.0).evidence("maxPauseMs", 412.0).evidence("count", 37)
                .recommendation("Reduce the live set or raise -Xmx.").source("recording.jfr").build();
        Finding info = Finding.builder("cpu.hot-methods", Category.CPU).severity(Severity.INFO)
                .title("com.acme.Ingest.compress takes 34% of CPU samples")
                .evidence("sharePercent", 34.0).source("recording.jfr").build();
        Map<String, Object> summaries = new LinkedHashMap<>();
        summaries.put("profile.cpu", Map.of("collapsed", List.of(
                Map.of("stack", "java.lang.Thread.run;com.acme.Ingest.loop;com.acme.Ingest.compress;java.util.zip.Deflater.deflate", "samples", 340),
                Map.of("stack", "java.lang.Thread.run;com.acme.Ingest.loop;com.acme.Ingest.partition", "samples", 160),
                Map.of("stack", "java.lang.Thread.run;" + EVIL_CLASS + ".get", "samples", 500))));
        summaries.put(GcSummary.KIND, gcSummary(jfr).toJson());
        summaries.put(HeapSummary.KIND, new HeapSummary(hprof, heapReport(), null).toJson());
        summaries.put("io.snapshot", ioSnapshot().toJson());
        Map<String, Object> nmt = new LinkedHashMap<>();
        nmt.put("epochMillis", 1500L);
        nmt.put("kind", "summary");
        nmt.put("totalCommittedKb", 102_400L);
        nmt.put("totalReservedKb", 1_048_576L);
        nmt.put("categories", Map.of("Java Heap", Map.of("committedKb", 65_536L, "reservedKb", 262_144L)));
        summaries.put("native.nmt", nmt);
        Map<String, Object> rss = new LinkedHashMap<>();
        rss.put("epochMillis", List.of(0L, 1000L, 2000L, 3000L));
        rss.put("rssKb", List.of(100_000L, 120_000L, 140_000L, 160_000L));
        rss.put("pssKb", List.of(90_000L, 110_000L, 130_000L, 150_000L));
        summaries.put("native.rss", rss);
        Map<String, Object> jemalloc = new LinkedHashMap<>();
        jemalloc.put("baseline", "glibc");
        jemalloc.put("variant", "jemalloc");
        jemalloc.put("metric", "peakRssBytes");
        jemalloc.put("change", -0.23);
        jemalloc.put("ci95", List.of(-0.27, -0.19));
        jemalloc.put("pValue", 0.003);
        jemalloc.put("verdict", "jemalloc lowers peak RSS by 23% (95% CI −27…−19%)");
        Map<String, Object> tcmalloc = new LinkedHashMap<>(jemalloc);
        tcmalloc.put("variant", "tcmalloc");
        tcmalloc.put("change", 0.02);
        tcmalloc.put("ci95", List.of(-0.04, 0.07));
        tcmalloc.put("pValue", 0.6);
        tcmalloc.put("verdict", "no difference detected — with 8 runs the smallest change this could detect is about 9%");
        summaries.put("allocator-comparison", Map.of("command", "./frag 8", "comparisons", List.of(jemalloc, tcmalloc)));
        return new Run(null, name, at, List.of(jfr, hprof), List.of(critical, warning, info), summaries,
                List.of("recording.jfr: truncated at byte 1234567; read 3 of 4 chunks"));
    }

    /** GC: 5 young pauses of 1..5 ms, 2 full GCs of 80 and 90 ms under a cause with HTML in it; heap after each. */
    static final String EVIL_CAUSE = "Humongous <img src=x onerror=alert(3)>";

    static GcSummary gcSummary(Artifact source) {
        GcSummaryBuilder b = new GcSummaryBuilder().gcName("G1");
        b.range(1_000, 9_000);
        for (int i = 0; i < 5; i++) {
            b.collection(1_000 + 1_000L * i, "G1New", "G1 Evacuation Pause", 1_000_000L * (i + 1));
            b.heapAfterGc(1_000 + 1_000L * i, 10_000_000L * (i + 1));
        }
        b.collection(6_500, "G1Full", EVIL_CAUSE, 80_000_000L);
        b.heapAfterGc(6_500, 20_000_000L);
        b.collection(8_000, "G1Full", EVIL_CAUSE, 90_000_000L);
        b.heapAfterGc(8_000, 25_000_000L);
        b.heapMax(268_435_456L);
        return b.build(source);
    }

    /**
     * Heap: a bounded dominator tree in pre-order. Reachable 1,000,000 bytes; the map (60%) holds a node array
     * (59%) holding an evil-named entry (20%) and a String (10%), and a byte[] (0.9%); a thread (30%) holds a byte[].
     */
    static HeapReport heapReport() {
        String holder = "static " + EVIL_CLASS + ".ENTRIES";
        List<HeapReport.DominatorRow> tree = List.of(
                new HeapReport.DominatorRow(0x1000, "java.util.HashMap", 48, 600_000, 0, holder,
                        List.of(holder, "java.util.HashMap")),
                new HeapReport.DominatorRow(0x1100, "java.util.HashMap$Node[]", 65_552, 590_000, 1, holder, List.of()),
                new HeapReport.DominatorRow(0x1110, EVIL_CLASS, 32, 200_000, 2, holder, List.of()),
                new HeapReport.DominatorRow(0x1120, "java.lang.String", 24, 100_000, 2, holder, List.of()),
                new HeapReport.DominatorRow(0x1200, "byte[]", 9_000, 9_000, 1, holder, List.of()),
                new HeapReport.DominatorRow(0x2000, "java.lang.Thread", 120, 300_000, 0, "thread " + EVIL_THREAD,
                        List.of("thread " + EVIL_THREAD)),
                new HeapReport.DominatorRow(0x2100, "byte[]", 250_000, 250_000, 1, "thread " + EVIL_THREAD, List.of()));
        List<HeapReport.ClassRow> histogram = List.of(
                new HeapReport.ClassRow("byte[]", 2, 259_000, 259_000),
                new HeapReport.ClassRow(EVIL_CLASS, 1, 32, 200_000),
                new HeapReport.ClassRow("java.util.HashMap", 1, 48, 600_000));
        HeapReport.Suspect suspect = new HeapReport.Suspect("static " + EVIL_CLASS + ".ENTRIES retains 60% of the heap",
                holder, "java.util.HashMap", 0x1000, 1, 600_000, 60.0,
                new HeapReport.Accumulation("java.util.HashMap$Node[]", EVIL_CLASS, 1, 590_000), 1,
                List.of(holder, "java.util.HashMap", "java.util.HashMap$Node[]"));
        return new HeapReport(EVIL_FILE, 8, 5, 324_872, 1_000_000, 3, histogram, tree, List.of(suspect), List.of(),
                List.of(new HeapReport.GrowthRow(EVIL_CLASS, 1, 200_000, holder)), List.of(), List.of());
    }

    /**
     * I/O: four sites; the first (an HTML-named one) with three latency buckets, the second from an older agent, the
     * third a read re-reading its blocks 317.5 times, the fourth a read whose distinct estimate is saturated.
     */
    static IoSnapshot ioSnapshot() {
        Artifact snap = new Artifact(Path.of("/data/snapshot.json"), ArtifactType.AGENT_SNAPSHOT, 2_000, null, Map.of());
        IoCallSite evil = new IoCallSite(EVIL_CLASS + ".append(Cache.java:88)", "file", "write", "/data/<i>seg</i>.log",
                5, 50, 1023, 57_343, 60_000, 60_000, 60_000, "sequential",
                List.of(new IoLatencyBucket(896, 1024, 3), new IoLatencyBucket(49_152, 57_344, 1),
                        new IoLatencyBucket(57_344, 65_536, 1)));
        IoCallSite old = new IoCallSite("com.acme.Old.read(Old.java:1)", "file", "read", "/data/old", 2, 8,
                900, 900, 900, 900, 900, "n/a");
        IoCallSite reread = new IoCallSite("com.acme.Idx.get(Idx.java:7)", "file", "read", "/data/idx", 10_160,
                41_615_360, 20_000, 40_000, 90_000, 99_000, 120_000, "random",
                List.of(new IoLatencyBucket(19_456, 20_480, 10_160)), 131_072, false);
        IoCallSite scan = new IoCallSite("com.acme.Scan.all(Scan.java:12)", "file", "read", "/data/big", 4_096,
                1_073_741_824, 20_000, 40_000, 90_000, 99_000, 120_000, "sequential",
                List.of(new IoLatencyBucket(19_456, 20_480, 4_096)), 162_807_808, true);
        return new IoSnapshot(snap, 42, Instant.parse("2026-11-20T10:00:00Z"), Instant.parse("2026-11-20T10:00:10Z"), 0,
                List.of(evil, old, reread, scan));
    }

    static Run cleanRun(String name, Instant at) {
        Artifact jfr = new Artifact(Path.of("/data/clean.jfr"), ArtifactType.JFR, 1000, "ef".repeat(32), Map.of());
        return new Run(null, name, at, List.of(jfr), List.of(), Map.of(), List.of());
    }
}
