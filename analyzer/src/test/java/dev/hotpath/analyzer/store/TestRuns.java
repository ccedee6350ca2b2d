package dev.hotpath.analyzer.store;

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

/**
 * Runs for the store tests, built deterministically so that a test can rebuild exactly what another process wrote.
 * Values are in the form the store gives back (Long, Double, String, Boolean, List, LinkedHashMap), so a loaded run
 * must be {@code equals} to the one saved.
 */
final class TestRuns {
    static final Instant BASE = Instant.parse("2026-11-25T10:00:00.123456789Z");

    private TestRuns() {
    }

    static Run sample(String name, Instant createdAt) {
        Map<String, Object> gcEvidence = new LinkedHashMap<>();
        gcEvidence.put("p99PauseMs", 412.5);
        gcEvidence.put("pauseCount", 37L);
        gcEvidence.put("longestPauseAt", "2026-11-25T10:00:31Z");
        gcEvidence.put("collector", "G1");
        gcEvidence.put("aboveThreshold", true);
        gcEvidence.put("pausesMs", List.of(412.5, 250.0, 201.25));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("zone", "old");
        nested.put("bytes", 9_007_199_254_740_993L);
        gcEvidence.put("heap", nested);
        gcEvidence.put("absent", null);
        Finding gc = Finding.builder("gc.long-pauses", Category.GC).severity(Severity.CRITICAL)
                .title("GC pauses up to 412.5 ms (p99)").summary("37 pauses above 200 ms in 90 s")
                .recommendation("Raise -Xmx or look at the allocation rate").source("recording.jfr").source("gc.log")
                .build();
        gc = new Finding(gc.id(), gc.severity(), gc.category(), gc.title(), gc.summary(), gcEvidence,
                gc.recommendation(), gc.sources());
        Finding io = Finding.builder("io.small-writes", Category.IO).severity(Severity.WARNING)
                .title("128-byte writes at com.acme.Log.append(Log.java:88)").summary("ünïcødé ✓ and \"quotes\"\nnewline")
                .evidence("zeta", 1L).evidence("alpha", 2L).evidence("mid", 3L).evidence("sharePercent", 97.25)
                .recommendation("Buffer the writes").source("snapshot.json").build();
        Finding info = Finding.builder("config.heap-size", Category.CONFIG).severity(Severity.INFO)
                .title("Heap is 256 MiB").build();
        Finding io2 = Finding.builder("io.fsync-per-write", Category.IO).severity(Severity.WARNING)
                .title("fsync after every write").evidence("count", 10_000L).source("snapshot.json").build();
        List<Artifact> artifacts = List.of(
                new Artifact(Path.of("/data/run1/recording.jfr"), ArtifactType.JFR, 1_234_567L,
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                        Map.of("jdk", "17.0.15", "chunks", 3L, "truncatedAt", 1_200_000L)),
                new Artifact(Path.of("/data/run1/snapshot.json"), ArtifactType.AGENT_SNAPSHOT, 4_096L, null, Map.of()));
        Map<String, Object> pauses = new LinkedHashMap<>();
        pauses.put("count", 37L);
        pauses.put("pausesMs", List.of(412.5, 250.0));
        pauses.put("nan", Double.NaN);
        return new Run(null, name, createdAt, artifacts, List.of(gc, io, info, io2),
                Map.of("gc.pauses", pauses, "io.sites", List.of("a", "b"), "scalar", 42L),
                List.of("recording.jfr truncated at byte 1200000", "gc.log: 3 lines skipped"));
    }

    /** A large run: {@code findings} findings and a summary of {@code summaryRows} rows, all derived from index. */
    static Run big(String prefix, int index, int findings, int summaryRows) {
        List<Finding> list = new ArrayList<>(findings);
        Severity[] severities = Severity.values();
        Category[] categories = Category.values();
        for (int i = 0; i < findings; i++) {
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("site", "com.acme.Big" + index + ".op" + i + "(Big.java:" + (i % 500) + ")");
            evidence.put("count", (long) i * index);
            evidence.put("p99Ms", i / 8.0);
            evidence.put("bytes", List.of((long) i, (long) index));
            list.add(new Finding("rule." + (i % 17), severities[(i + index) % 3], categories[i % categories.length],
                    "Finding " + i + " of run " + index, "summary " + i, evidence, "fix " + i,
                    List.of("file-" + (i % 5) + ".jfr")));
        }
        List<Object> rows = new ArrayList<>(summaryRows);
        for (int i = 0; i < summaryRows; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", "com.acme.Type" + i);
            row.put("instances", (long) i * 3);
            row.put("retainedBytes", (long) i * 1024 + index);
            rows.add(row);
        }
        List<Artifact> artifacts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            artifacts.add(new Artifact(Path.of("/data/big" + index + "/a" + i + ".jfr"), ArtifactType.JFR,
                    1000L * i + index, String.format("%064x", i + index), Map.of("chunk", (long) i)));
        }
        return new Run(null, prefix + "-" + index, BASE.plusSeconds(index), artifacts, list,
                Map.of("heap.histogram", rows, "run.index", (long) index), List.of("big run " + index));
    }

    /** The index in a name made by {@link #big}. */
    static int indexOf(String name) {
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }
}
