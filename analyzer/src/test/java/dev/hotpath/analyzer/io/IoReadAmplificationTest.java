package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.RuleSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code io.read-amplification} judged by the agent's distinct-range estimate, by a saturated one, and by the file's
 * size for snapshots without an estimate.
 */
class IoReadAmplificationTest {
    private static final String HOT = "com.acme.Index.lookup(Index.java:57)";
    private static final String SCAN = "com.acme.Index.load(Index.java:20)";

    @TempDir
    Path dir;

    /** A file read call site, with {@code distinctBytes} (and the saturation flag) when {@code distinct >= 0}. */
    private static String read(String site, String target, long count, long bytes, long distinct, boolean saturated) {
        String s = IoSnapshotFixtures.site(site, "file", "read", target, count, bytes, 40_000, 900_000, "random");
        if (distinct < 0) {
            return s;
        }
        return s.substring(0, s.length() - 1) + ",\"distinctBytes\":" + distinct
                + (saturated ? ",\"distinctSaturated\":true" : "") + "}";
    }

    private List<Finding> run(String... sites) throws Exception {
        Path p = Files.writeString(dir.resolve("snap.json"), IoSnapshotFixtures.snapshot(List.of(sites)));
        IoSnapshot s = AgentSnapshotReader.read(p, IoSnapshotFixtures.artifact(p), n -> { });
        return IoAnalysis.run(List.of(s), RuleSettings.parse(List.of(), IoAnalysis.RULES)).stream()
                .filter(f -> f.id().equals("io.read-amplification")).toList();
    }

    private String file(String name, long size) throws Exception {
        Path f = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size); // sparse
        }
        return f.toString();
    }

    @Test
    void aSiteReReadingSixtyFourBlocksIsFlaggedWithoutTheFileAndAScanOfItIsNot() throws Exception {
        String gone = "/nonexistent-hotpath-test/idx.bin";
        List<Finding> fs = run(read(HOT, gone, 20_000, 81_920_000, 262_144, false),
                read(SCAN, gone, 1025, 64L << 20, 64L << 20, false));
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.title()).isEqualTo("Read amplification on " + gone
                + ": 78.1 MiB read from 256.0 KiB of distinct ranges (312.5x)");
        assertThat(f.summary()).isEqualTo("20000 reads at " + HOT + " read the same ranges 312.5 times over. Distinct"
                + " ranges are the agent's estimate per site in 4 KiB blocks, so ranges re-read across sites are not"
                + " counted.");
        assertThat(f.evidence()).containsEntry("target", gone).containsEntry("basis", "distinctRanges")
                .containsEntry("readBytes", 81_920_000L).containsEntry("reads", 20_000L)
                .containsEntry("distinctBytes", 262_144L).containsEntry("fileSizeBytes", -1L)
                .containsEntry("amplification", 312.5).containsEntry("sites", List.of(HOT))
                .containsEntry("perSite", List.of(Map.of("site", HOT, "readBytes", 81_920_000L,
                        "distinctBytes", 262_144L, "amplification", 312.5)));
        assertThat(f.recommendation()).isEqualTo("Cache what " + HOT + " reads repeatedly (its distinct ranges total"
                + " 256.0 KiB), or memory-map the file, or read each range once and share the result.");
        assertThat(f.sources()).containsExactly("snap.json");
        // a relative path (FileInputStream("data/idx.bin")) is judged the same way; (fd) and (other) name no file
        assertThat(run(read(HOT, "data/idx.bin", 20_000, 81_920_000, 262_144, false)))
                .extracting(Finding::title).containsExactly("Read amplification on data/idx.bin: 78.1 MiB read from"
                        + " 256.0 KiB of distinct ranges (312.5x)");
        assertThat(run(read(HOT, "(fd)", 20_000, 81_920_000, 262_144, false),
                read(HOT, "(other)", 20_000, 81_920_000, 262_144, false))).isEmpty();
    }

    @Test
    void severalReReadingSitesAddUpAndAreNamedWithTheirOwnFactors() throws Exception {
        String idx = file("idx.bin", 64L << 20);
        String other = "com.acme.Index.warm(Index.java:31)";
        List<Finding> fs = run(read(HOT, idx, 20_000, 81_920_000, 262_144, false),
                read(other, idx, 1024, 16L << 20, 1L << 20, false),
                read(SCAN, idx, 1025, 64L << 20, 64L << 20, false));
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        // by the file's size the three sites would be 2.5x: under the threshold
        assertThat(f.title()).isEqualTo("Read amplification on " + idx
                + ": 94.1 MiB read from 1.3 MiB of distinct ranges (75.3x)");
        assertThat(f.summary()).startsWith("21024 reads at " + HOT + " (78.1 MiB from 256.0 KiB, 312.5x), " + other
                + " (16.0 MiB from 1.0 MiB, 16.0x) read the same ranges 75.3 times over.");
        assertThat(f.evidence()).containsEntry("readBytes", 98_697_216L).containsEntry("distinctBytes", 1_310_720L)
                .containsEntry("fileSizeBytes", 64L << 20).containsEntry("sites", List.of(HOT, other));
    }

    @Test
    void anEstimateUnderTheFactorIsNoFindingEvenWhenTheFileSizeWouldMakeOne() throws Exception {
        // 40 MiB read from 10.5 MiB of distinct ranges (3.8x) of a file that is 1 MiB here (40x by its size): the
        // estimate decides
        String small = file("small.bin", 1L << 20);
        assertThat(run(read(HOT, small, 10_240, 40L << 20, 10_752L << 10, false))).isEmpty();
        // five sites each reading a 20 MiB file once: 5x by the file's size, 1x per site
        String shared = file("shared.bin", 20L << 20);
        List<String> sites = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sites.add(read("com.acme.Load.part" + i + "(Load.java:" + (10 + i) + ")", shared, 320, 20L << 20,
                    20L << 20, false));
        }
        assertThat(run(sites.toArray(new String[0]))).isEmpty();
        // 100x, but only 10 MiB read: under minReadMiB
        assertThat(run(read(HOT, "/nonexistent-hotpath-test/a", 2560, 10L << 20, 100L << 10, false))).isEmpty();
    }

    @Test
    void aSaturatedEstimateIsALowerBoundSoItClaimsNothingBeyondIt() throws Exception {
        long lowerBound = 39_747L * 4096; // what the agent reports when its bitmap is full
        // no file here: the estimate alone proves no amplification
        assertThat(run(read(HOT, "/nonexistent-hotpath-test/big", 262_144, 1L << 30, lowerBound, true))).isEmpty();
        // the file here is smaller than the distinct bytes read from it: it has changed, so its size proves nothing
        String shrunk = file("shrunk.bin", 8L << 20);
        assertThat(run(read(HOT, shrunk, 262_144, 1L << 30, lowerBound, true))).isEmpty();
        // a file consistent with the bound: judged by its size, never above bytes / lower bound (6.6x)
        String big = file("big.bin", 200L << 20);
        List<Finding> fs = run(read(HOT, big, 262_144, 1L << 30, lowerBound, true));
        assertThat(fs).hasSize(1);
        assertThat(fs.get(0).title()).isEqualTo("Read amplification on " + big
                + ": 1.0 GiB read from a 200.0 MiB file (5.1x)");
        assertThat(fs.get(0).evidence()).containsEntry("basis", "fileSize").containsEntry("fileSizeBytes", 200L << 20)
                .containsEntry("distinctBytes", lowerBound).containsEntry("amplification", 5.1);
    }

    @Test
    void aSnapshotWithoutTheEstimateFallsBackToTheFileSizeAsBefore() throws Exception {
        String data = file("shards.bin", 8L << 20);
        List<Finding> fs = run(read(HOT, data, 50_000, 204_800_000, -1, false));
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.title()).isEqualTo("Read amplification on " + data + ": 195.3 MiB read from a 8.0 MiB file"
                + " (24.4x)");
        assertThat(f.summary()).isEqualTo("50000 reads from " + HOT + " read the file 24.4 times over (its size as it"
                + " is on this machine; the snapshot has no distinct-range estimate for it).");
        assertThat(f.evidence()).containsEntry("basis", "fileSize").containsEntry("fileSizeBytes", 8L << 20)
                .containsEntry("readBytes", 204_800_000L).containsEntry("reads", 50_000L)
                .containsEntry("distinctBytes", -1L).containsEntry("amplification", 24.4)
                .containsEntry("sites", List.of(HOT));
        // and nothing when the file is not on this machine
        assertThat(run(read(HOT, "/nonexistent-hotpath-test/shards.bin", 50_000, 204_800_000, -1, false)))
                .isEmpty();
    }

    @Test
    void theReaderKeepsTheEstimateAndOlderSnapshotsReadAsBefore() throws Exception {
        String json = IoSnapshotFixtures.snapshot(List.of(read(HOT, "/a", 10, 40_960, 8_192, false),
                read(SCAN, "/b", 10, 40_960, 4_096, true), read(SCAN, "/c", 10, 40_960, -1, false),
                read(SCAN, "/d", 1, 1, -1, false)
                        .replace("\"random\"}", "\"random\",\"distinctBytes\":{\"x\":[1]}}")));
        Path p = Files.writeString(dir.resolve("r.json"), json);
        List<IoCallSite> cs = AgentSnapshotReader.read(p, IoSnapshotFixtures.artifact(p), n -> { }).callSites();
        assertThat(cs).extracting(IoCallSite::distinctBytes).containsExactly(8_192L, 4_096L, -1L, -1L);
        assertThat(cs).extracting(IoCallSite::distinctSaturated).containsExactly(false, true, false, false);
        assertThat(cs).extracting(IoCallSite::hasDistinctEstimate).containsExactly(true, false, false, false);
        assertThat(cs.get(1).toJson()).containsEntry("distinctBytes", 4_096L).containsEntry("distinctSaturated", true);
        assertThat(cs.get(2).toJson()).doesNotContainKeys("distinctBytes", "distinctSaturated");
    }
}
