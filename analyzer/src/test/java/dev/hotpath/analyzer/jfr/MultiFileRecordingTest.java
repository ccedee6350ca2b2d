package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.apps.PauseApp;
import dev.hotpath.analyzer.jfr.apps.RotatingApp;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.pipeline.Analysis;
import dev.hotpath.analyzer.pipeline.AnalysisOptions;
import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import dev.hotpath.analyzer.rules.gc.PauseStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several files of one JVM read as one recording. A real JDK 25 JVM (preserve-repository needs JDK 21+) records with
 * a preserved repository and rotates its chunk twice per round, so the repository ends with one file per chunk; it
 * also dumps the recording half-way (overlapping the repository files) and whole at the end. Analysing the repository
 * files must give exactly the numbers of the whole recording, with and without the overlapping dumps; a second JVM's
 * recording must stay separate.
 */
class MultiFileRecordingTest {
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    static final int ROUNDS = 6;

    @TempDir
    static Path dir;
    static Path repository;
    static List<Path> chunkFiles;
    static Path mid;
    static Path whole;
    static Path other;

    @BeforeAll
    static void record() throws Exception {
        Path repo = dir.resolve("repo");
        mid = dir.resolve("dumps/mid.jfr");
        whole = dir.resolve("dumps/whole.jfr");
        other = dir.resolve("other/other.jfr");
        Files.createDirectories(mid.getParent());
        Files.createDirectories(other.getParent());
        String out = Jvm.run(JDK25, List.of("-Xmx64m", "-XX:+UseSerialGC",
                        "-XX:FlightRecorderOptions:repository=" + repo + ",preserve-repository=true",
                        "-XX:StartFlightRecording"),
                RotatingApp.class, String.valueOf(ROUNDS), mid.toString(), whole.toString());
        assertThat(out).contains("systemGcs=" + ROUNDS);
        try (Stream<Path> s = Files.walk(repo)) {
            chunkFiles = s.filter(p -> p.toString().endsWith(".jfr")).sorted().toList();
        }
        repository = chunkFiles.get(0).getParent();
        Jvm.run(Jvm.javaHome17(), List.of("-Xmx64m", "-XX:+UseSerialGC", Jvm.jfr(other, "default")),
                PauseApp.class, "3");
    }

    static Analysis analyze(Path... inputs) {
        return Analyzer.withInstalledPlugins().analyze(List.of(inputs), AnalysisOptions.defaults());
    }

    static List<GcSummary> gc(Analysis a) {
        List<GcSummary> out = new ArrayList<>();
        for (Summary s : a.allSummaries()) {
            if (s instanceof GcSummary g) {
                out.add(g);
            }
        }
        return out;
    }

    @Test
    void repositoryFilesOfOneJvmGiveExactlyTheNumbersOfTheWholeRecording() {
        assertThat(chunkFiles).hasSizeGreaterThanOrEqualTo(3);
        GcSummary one = gc(analyze(whole)).get(0);
        Analysis parts = analyze(repository);

        assertThat(parts.run().artifacts()).hasSize(chunkFiles.size());
        List<GcSummary> merged = gc(parts);
        assertThat(merged).hasSize(1);
        GcSummary m = merged.get(0);
        assertThat(m.events().systemGcs()).isEqualTo(ROUNDS);
        assertThat(m.collections()).isEqualTo(one.collections());
        assertThat(m.totalPauseNanos()).isEqualTo(one.totalPauseNanos());
        assertThat(m.pauses()).extracting(PauseStats::collector, PauseStats::cause, PauseStats::count,
                        PauseStats::maxNanos)
                .containsExactlyElementsOf(one.pauses().stream().map(p -> org.assertj.core.groups.Tuple.tuple(
                        p.collector(), p.cause(), p.count(), p.maxNanos())).toList());
        // the live-set trend spans all files: the same heap-after-GC series as the whole recording, point by point
        assertThat(m.heapAfterBytes()).hasSize(one.heapAfterBytes().length).containsExactly(one.heapAfterBytes());
        assertThat(m.heapAfterMs()).containsExactly(one.heapAfterMs());
        assertThat(m.heapAfterBytes()[m.heapAfterBytes().length - 1] - m.heapAfterBytes()[0])
                .isGreaterThan((ROUNDS - 1) * 2L << 20 - (1 << 20));
        assertThat(m.timelinePauseNanos()).containsExactly(one.timelinePauseNanos());

        // findings on the merged recording name every file of the JVM
        Finding systemGc = parts.run().findings().stream().filter(f -> f.id().equals("gc.system-gc")).findFirst()
                .orElseThrow();
        assertThat(systemGc.evidence()).containsEntry("count", (long) ROUNDS);
        assertThat(systemGc.sources()).containsExactlyInAnyOrderElementsOf(
                parts.run().artifacts().stream().map(a -> a.sourceName()).toList());
        assertThat(parts.run().notes()).anyMatch(n -> n.contains(chunkFiles.size() + " files of one JVM (pid "));
    }

    @Test
    void chunksRepeatedByDumpsAreReadOnce() {
        GcSummary one = gc(analyze(whole)).get(0);
        Analysis all = analyze(repository, mid, whole);

        List<GcSummary> merged = gc(all);
        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).collections()).isEqualTo(one.collections());
        assertThat(merged.get(0).events().systemGcs()).isEqualTo(ROUNDS);
        assertThat(merged.get(0).heapAfterBytes()).containsExactly(one.heapAfterBytes());
        assertThat(all.run().notes()).anyMatch(n -> n.startsWith("mid.jfr: all ")
                && n.endsWith(" chunks are also in other files of this JVM; read once"));
    }

    @Test
    void recordingsOfDifferentJvmsStaySeparate() {
        Analysis both = analyze(whole, other);

        List<GcSummary> each = gc(both);
        assertThat(each).hasSize(2);
        assertThat(each).extracting(g -> g.source().sourceName()).containsExactly("whole.jfr", "other.jfr");
        assertThat(each).extracting(g -> g.events().systemGcs()).containsExactly((long) ROUNDS, 3L);
        assertThat(both.run().findings()).filteredOn(f -> f.id().equals("gc.system-gc"))
                .extracting(Finding::sources).containsExactlyInAnyOrder(List.of("whole.jfr"), List.of("other.jfr"));
    }

    /**
     * The JFR ingester hashes its files while its workers read them (JfrIngester.fingerprintsLate): every artifact,
     * read alone, as the first of a group or as a group's other file, still carries its file's SHA-256, and every
     * summary names exactly that hashed artifact.
     */
    @Test
    void everyArtifactCarriesItsFilesHashAndItsSummariesNameIt() throws Exception {
        List<Path> inputs = new ArrayList<>(chunkFiles);
        inputs.add(whole);
        inputs.add(other);
        Analysis an = analyze(inputs.toArray(Path[]::new));

        assertThat(an.problems()).isEmpty();
        assertThat(an.run().artifacts()).hasSize(inputs.size());
        for (dev.hotpath.analyzer.model.Artifact a : an.run().artifacts()) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            assertThat(a.sha256()).as(a.sourceName())
                    .isEqualTo(java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(a.path()))));
        }
        assertThat(an.allSummaries()).isNotEmpty();
        for (Summary s : an.allSummaries()) {
            assertThat(an.run().artifacts()).contains(s.source());
        }
        assertThat(an.summaries().keySet()).containsExactlyInAnyOrderElementsOf(an.run().artifacts());
    }
}
