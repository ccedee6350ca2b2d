package dev.hotpath.analyzer.gclog;

import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.pipeline.Analysis;
import dev.hotpath.analyzer.pipeline.AnalysisOptions;
import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.report.JsonReport;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A GC log rotated by a real JVM (JDK 17 and 25) is read as one log. The same JVM writes the same log twice, once
 * whole ({@code full.log}) and once rotated every 20 KB ({@code rot/gc.log}, {@code rot/gc.log.00} …), so the rotated
 * files must give exactly the whole log's numbers: pause count, pause statistics, the heap-after-GC series and trend,
 * the GC timeline, and the same gc findings.
 */
class GcLogRotationTest {
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path dir;

    static Analysis analyze(List<Path> files) {
        return Analyzer.withInstalledPlugins().analyze(files, AnalysisOptions.defaults());
    }

    static GcSummary gc(Analysis a) {
        List<GcSummary> all = new ArrayList<>();
        for (Summary s : a.allSummaries()) {
            if (s instanceof GcSummary g) {
                all.add(g);
            }
        }
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** The gc findings without their sources (the file names differ), as the JSON contract renders them. */
    static List<Map<String, Object>> gcFindings(Analysis a) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Finding f : a.run().findings()) {
            if (f.category().id().equals("gc") || f.id().startsWith("gc.")) {
                Map<String, Object> m = new java.util.LinkedHashMap<>(JsonReport.finding(f));
                m.remove("sources");
                out.add(m);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void rotatedFilesOfOneJvmGiveExactlyTheWholeLogsNumbers(int jdk) throws Exception {
        Path rot = Files.createDirectories(dir.resolve("rot"));
        Path full = dir.resolve("full.log");
        String out = Jvm.run(jdk == 17 ? Jvm.javaHome17() : JDK25, List.of("-Xmx64m", "-XX:+UseG1GC",
                        "-Xlog:gc*:file=" + full, "-Xlog:gc*:file=" + rot.resolve("gc.log") + "::filecount=99,filesize=20k"),
                GrowingHeapApp.class, "3000");
        assertThat(out).contains("retained=");
        List<Path> files;
        try (Stream<Path> s = Files.list(rot)) {
            files = new ArrayList<>(s.sorted().toList());
        }
        // the JVM's own naming: the current file gc.log, the full ones gc.log.00, gc.log.01 … (2 digits for 99 files)
        assertThat(files.size()).isGreaterThanOrEqualTo(4);
        assertThat(files).allSatisfy(p -> assertThat(p.getFileName().toString()).matches("gc\\.log(\\.\\d\\d)?"));
        assertThat(files.get(0).getFileName().toString()).isEqualTo("gc.log");
        assertThat(files.get(1).getFileName().toString()).isEqualTo("gc.log.00");

        Analysis whole = analyze(List.of(full));
        Collections.shuffle(files, new Random(jdk)); // the order given says nothing: the timestamps decide
        Analysis rotated = analyze(files);
        GcSummary w = gc(whole);
        GcSummary r = gc(rotated);

        assertThat(w.collections()).isGreaterThan(20);
        assertThat(r.collections()).isEqualTo(w.collections());
        assertThat(r.totalPauseNanos()).isEqualTo(w.totalPauseNanos());
        assertThat(r.pauses()).isEqualTo(w.pauses());
        assertThat(r.heapAfterMs()).containsExactly(w.heapAfterMs());
        assertThat(r.heapAfterBytes()).containsExactly(w.heapAfterBytes());
        assertThat(r.timelinePauseNanos()).containsExactly(w.timelinePauseNanos());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.writeValueAsString(r.toJson())).isEqualTo(json.writeValueAsString(w.toJson()));
        // each file alone sees only its part: the pauses of the files add up to the whole log's
        long sum = 0;
        for (Path f : files) {
            Analysis one = analyze(List.of(f));
            if (one.allSummaries().isEmpty()) {
                // a last file with only the exit's heap printout has no GC lines of its own: unusable alone
                assertThat(Files.readString(f)).doesNotContain(" Pause ");
                continue;
            }
            sum += gc(one).pauses().stream().mapToLong(p -> p.count()).sum();
        }
        assertThat(sum).isEqualTo(w.pauses().stream().mapToLong(p -> p.count()).sum());
        // the trend spans all files: the live set grew by ~24 MB over the run, seen from the first file to the last
        long[] after = r.heapAfterBytes();
        assertThat(after[after.length - 1] - after[0]).isGreaterThan(16L << 20);
        assertThat(gcFindings(rotated)).isEqualTo(gcFindings(whole));
        // the JVM may rotate just before it exits, leaving the current gc.log empty: an empty file is refused alone
        long nonEmpty = files.stream().filter(p -> p.toFile().length() > 0).count();
        assertThat(rotated.run().notes()).anyMatch(n -> n.endsWith(nonEmpty
                + " files of one rotated GC log read as one log (in the order of their timestamps)")
                && n.startsWith("gc.log.00, gc.log.01, "));
    }
}
