package dev.hotpath.ui;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
        List<Map<String, Object>> pauses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pauses.add(Map.of("startMillis", 1000L * i, "durationMs", 10.0 * (i + 1), "heapAfterBytes", 1_000_000L * (i + 1)));
        }
        summaries.put("gc.pauses", Map.of("collector", "G1", "pauses", pauses));
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

    static Run cleanRun(String name, Instant at) {
        Artifact jfr = new Artifact(Path.of("/data/clean.jfr"), ArtifactType.JFR, 1000, "ef".repeat(32), Map.of());
        return new Run(null, name, at, List.of(jfr), List.of(), Map.of(), List.of());
    }
}
