package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.RuleSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.hotpath.analyzer.io.IoSnapshotFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The io rules judge a call site over all the targets it touched (a temp file per request is one site, not hundreds
 * of findings), keep a per-target finding only for a target that is slow on its own, and need an absolute tail
 * before calling latency slow.
 */
class IoSiteGroupingTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private List<Finding> run(List<String> sites, List<String> settings) throws Exception {
        Path p = Files.writeString(dir.resolve("snap.json"), IoSnapshotFixtures.snapshot(sites));
        IoSnapshot s = AgentSnapshotReader.read(p, IoSnapshotFixtures.artifact(p), n -> { });
        return IoAnalysis.run(List.of(s), RuleSettings.parse(settings, IoAnalysis.RULES));
    }

    /** The keys of {@code target} written by Store.put in {@code writes} writes of 256 bytes, each write forced. */
    private static void forcedWrites(List<String> sites, String target, long writes) {
        sites.add(site("com.acme.Store.put(Store.java:30)", "file", "write", target, writes, 256 * writes, 6000,
                200000, "sequential"));
        sites.add(site("com.acme.Store.put(Store.java:31)", "file", "force", target, writes, 0, MS, 15 * MS, "n/a"));
    }

    /** 300 requests, each written to its own temp file in 150 writes of 256 bytes, each write forced. */
    private static List<String> tempFilePerRequest() {
        List<String> sites = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            forcedWrites(sites, String.format("/data/tmp/put-%03d.tmp", i), 150);
        }
        // the durable-write idiom: each object written once and forced once before it is published
        for (int i = 0; i < 50; i++) {
            String f = "/data/obj/o-" + i;
            sites.add(site("com.acme.Objects.save(Objects.java:12)", "file", "write", f, 1, 65536, 9000, 9000,
                    "sequential"));
            sites.add(site("com.acme.Objects.save(Objects.java:13)", "file", "force", f, 1, 0, 2 * MS, 2 * MS,
                    "n/a"));
        }
        return sites;
    }

    @Test
    void aTempFilePerRequestIsOneFindingPerSite() throws Exception {
        List<Finding> fs = run(tempFilePerRequest(), List.of());
        assertThat(fs).extracting(Finding::id).containsExactly("io.force-per-write", "io.small-writes");

        Finding force = fs.get(0);
        assertThat(force.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(force.title()).isEqualTo("Force per write at com.acme.Store.put(Store.java:31): 45000 forces for"
                + " 45000 writes (1.0 per write) on 300 files under /data/tmp");
        assertThat(force.summary()).isEqualTo("Each force waits for the device (p50 1.00 ms, p99 15.00 ms, about"
                + " 68.40 s of thread time in all); forced from com.acme.Store.put(Store.java:31), written from"
                + " com.acme.Store.put(Store.java:30). 300 files were forced 150.0 times each on average, most often"
                + " put-000.tmp, put-001.tmp, put-002.tmp.");
        assertThat(force.evidence()).containsEntry("forces", 45000L).containsEntry("writes", 45000L)
                .containsEntry("targets", 300).containsEntry("forcesPerFile", 150.0)
                .containsEntry("directory", "/data/tmp").containsEntry("forceP50Nanos", MS)
                .containsEntry("forceP99Nanos", 15 * MS).containsEntry("forceNanos", 68_400_000_000L)
                .containsEntry("exampleTargets", List.of("/data/tmp/put-000.tmp", "/data/tmp/put-001.tmp",
                        "/data/tmp/put-002.tmp"))
                .containsEntry("writeSites", List.of("com.acme.Store.put(Store.java:30)"))
                .containsEntry("omittedFindings", 0);

        Finding small = fs.get(1);
        assertThat(small.severity()).isEqualTo(Severity.WARNING);
        assertThat(small.title()).isEqualTo("Small writes at com.acme.Store.put(Store.java:30): 45000 writes of 256.0"
                + " bytes on average to 300 files under /data/tmp");
        assertThat(small.evidence()).containsEntry("count", 45000L).containsEntry("bytes", 11520000L)
                .containsEntry("targets", 300).containsEntry("p50Nanos", 6000L).containsEntry("p99Nanos", 200000L)
                .containsEntry("writesPerSecond", 450.0).containsEntry("directory", "/data/tmp");
    }

    /**
     * Past the agent's maxSites a site's new targets fold into its (other) target, which stands for any number of
     * files: a 20-second demo's gateway had 1,987 named temp files and 65,121 forces in (other), and the finding said
     * "1988 files were forced 54.0 times each" (the named ones 21.3 times each). Averages per file, examples and the
     * directory come from the named files; the folded ones are said as such.
     */
    @Test
    void targetsFoldedPastMaxSitesAreNotOneMoreFile() throws Exception {
        List<String> sites = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            forcedWrites(sites, String.format("/data/tmp/put-%03d.tmp", i), 32);
        }
        forcedWrites(sites, "(other)", 3200);
        // another site's folded writes are not this site's: 5,000 writes of 64 KiB to segments past maxSites
        sites.add(site("com.acme.Log.append(Log.java:88)", "file", "write", "(other)", 5000, 5000L * 65536, 30000,
                90000, "sequential"));
        List<Finding> fs = run(sites, List.of());
        assertThat(fs).extracting(Finding::id).containsExactly("io.force-per-write", "io.small-writes");
        Finding force = fs.get(0);
        assertThat(force.title()).isEqualTo("Force per write at com.acme.Store.put(Store.java:31): 6400 forces for"
                + " 6400 writes (1.0 per write) on 100 files under /data/tmp and more past maxSites");
        assertThat(force.summary()).endsWith(" 100 files were forced 32.0 times each on average (and 3200 forces on"
                + " files past the agent's maxSites), most often put-000.tmp, put-001.tmp, put-002.tmp.");
        assertThat(force.evidence()).containsEntry("targets", 100).containsEntry("forcesPerFile", 32.0)
                .containsEntry("directory", "/data/tmp");
        Finding small = fs.get(1);
        assertThat(small.title()).isEqualTo("Small writes at com.acme.Store.put(Store.java:30): 6400 writes of 256.0"
                + " bytes on average to 100 files under /data/tmp and more past maxSites");
        assertThat(small.summary()).contains(" The writes went to 100 targets under /data/tmp (and 3200 writes on"
                + " files past the agent's maxSites), most to put-000.tmp, put-001.tmp, put-002.tmp.");
        assertThat(small.evidence()).containsEntry("targets", 100);
    }

    /** Random reads folded past maxSites are read from files past it, not from a file named "(other)". */
    @Test
    void randomReadsPastMaxSitesNameNoFile() throws Exception {
        List<Finding> fs = run(List.of(site("com.acme.Chunks.get(Chunks.java:40)", "file", "read", "(other)", 20_000,
                20_000L * 4096, 80000, 400000, "random")), List.of());
        assertThat(fs).extracting(Finding::title).containsExactly("Random reads at com.acme.Chunks.get(Chunks.java:40):"
                + " 20000 reads of 4096.0 bytes on average from files past the agent's maxSites");
    }

    /**
     * Objects each written once and forced once (the durable-write idiom), most of them folded past maxSites: the
     * (other) target's 5,000 forces are not one file forced 5,000 times.
     */
    @Test
    void theDurableWriteIdiomPastMaxSitesIsNoForcePerWrite() throws Exception {
        List<String> sites = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String f = "/data/obj/o-" + i;
            sites.add(site("com.acme.Objects.save(Objects.java:12)", "file", "write", f, 1, 65536, 9000, 9000,
                    "sequential"));
            sites.add(site("com.acme.Objects.save(Objects.java:13)", "file", "force", f, 1, 0, 2 * MS, 2 * MS, "n/a"));
        }
        sites.add(site("com.acme.Objects.save(Objects.java:12)", "file", "write", "(other)", 5000, 5000L * 65536,
                9000, 9000, "sequential"));
        sites.add(site("com.acme.Objects.save(Objects.java:13)", "file", "force", "(other)", 5000, 0, 2 * MS, 2 * MS,
                "n/a"));
        assertThat(run(sites, List.of())).extracting(Finding::id).doesNotContain("io.force-per-write");
        // the same forces all folded: nothing tells the idiom from a force per write, so no finding either
        List<String> folded = List.of(
                site("com.acme.Objects.save(Objects.java:12)", "file", "write", "(other)", 5000, 5000L * 65536, 9000,
                        9000, "sequential"),
                site("com.acme.Objects.save(Objects.java:13)", "file", "force", "(other)", 5000, 0, 2 * MS, 2 * MS,
                        "n/a"));
        assertThat(run(folded, List.of())).extracting(Finding::id).doesNotContain("io.force-per-write");
    }

    @Test
    void forcingEachFileOnceIsTheDurableWriteIdiomUnlessTheThresholdSaysOtherwise() throws Exception {
        List<Finding> fs = run(tempFilePerRequest(), List.of("io.force-per-write.minForcesPerFile=1"));
        assertThat(fs).filteredOn(f -> f.id().equals("io.force-per-write")).extracting(Finding::title)
                .containsExactly("Force per write at com.acme.Store.put(Store.java:31): 45000 forces for 45000 writes"
                                + " (1.0 per write) on 300 files under /data/tmp",
                        "Force per write at com.acme.Objects.save(Objects.java:13): 50 forces for 50 writes (1.0 per"
                                + " write) on 50 files under /data/obj");
    }

    @Test
    void findingsPerRuleAreCappedAndTheRestCounted() throws Exception {
        List<String> sites = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            sites.add(site("com.acme.Log.append" + i + "(Log.java:" + i + ")", "file", "write", "/data/log-" + i,
                    1000L * i, 100L * 1000 * i, 1000, 5000, "sequential"));
        }
        List<Finding> fs = run(sites, List.of());
        assertThat(fs).extracting(f -> f.evidence().get("site")).containsExactly("com.acme.Log.append7(Log.java:7)",
                "com.acme.Log.append6(Log.java:6)", "com.acme.Log.append5(Log.java:5)",
                "com.acme.Log.append4(Log.java:4)", "com.acme.Log.append3(Log.java:3)");
        assertThat(fs).allSatisfy(f -> {
            assertThat(f.evidence()).containsEntry("omittedFindings", 2);
            assertThat(f.summary()).endsWith(" 2 more sites like this one are not listed.");
        });
        assertThat(run(sites, List.of("io.small-writes.maxFindings=10"))).hasSize(7);
    }

    @Test
    void aSlowTailNeedsAnAbsoluteFloorAndForSocketsAMaterialShareOfTheTime() throws Exception {
        List<String> sites = List.of(
                // a loopback read descheduled now and then: 896x its p50 but only 3.67 ms
                site("com.acme.Rpc.read(Rpc.java:5)", "socket", "read", "127.0.0.1:9000", 1000, 1000000, 4096, 8000,
                        3_670_016, 4 * MS, 5 * MS),
                // a write blocked 60 ms at its p99, but the tail holds about 18% of the site's time
                site("com.acme.Rpc.send(Rpc.java:9)", "socket", "write", "127.0.0.1:9001", 1000, 8000000, 100000,
                        100000, 60 * MS, 60 * MS, 60 * MS),
                // a peer that stalls: p99 80 ms, the slowest 1% hold about 30% of the time
                site("com.acme.Peer.call(Peer.java:20)", "socket", "read", "10.0.0.9:7000", 1000, 1000000, 20000,
                        50000, 80 * MS, 200 * MS, 400 * MS),
                // a file read 15x its p50 at p99, but 15 ms is a disk doing its job
                site("com.acme.Seg.read(Seg.java:3)", "file", "read", "/data/seg-1", 1000, 4096000, MS, 2 * MS,
                        15 * MS, 15 * MS, 15 * MS),
                // a file read with a 40 ms p99
                site("com.acme.Seg.read(Seg.java:4)", "file", "read", "/data/seg-2", 1000, 4096000, MS, 2 * MS,
                        40 * MS, 50 * MS, 60 * MS));
        List<Finding> fs = run(sites, List.of());
        assertThat(fs).extracting(Finding::title).containsExactly(
                "Slow tail at com.acme.Peer.call(Peer.java:20): read p99 80.00 ms is 4000.0x its p50 on 10.0.0.9:7000",
                "Slow tail at com.acme.Seg.read(Seg.java:4): read p99 40.00 ms is 40.0x its p50 on /data/seg-2");
        assertThat(fs.get(0).evidence()).containsEntry("tailPercent", 30.1).containsEntry("count", 1000L)
                .containsEntry("p99Nanos", 80 * MS).containsEntry("maxNanos", 400 * MS);
        assertThat(fs.get(1).evidence()).containsEntry("targets", 1).containsEntry("p50Nanos", MS);
    }

    @Test
    void oneSlowTargetAmongManyGetsAFindingOfItsOwn() throws Exception {
        List<String> sites = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sites.add(site("com.acme.Vol.read(Vol.java:7)", "file", "read", "/mnt/fast/f" + i, 300, 1228800, 100000,
                    200000, MS, MS, MS));
        }
        sites.add(site("com.acme.Vol.read(Vol.java:7)", "file", "read", "/mnt/slow/f", 300, 1228800, 100000,
                200000, 30 * MS, 30 * MS, 30 * MS));
        List<Finding> fs = run(sites, List.of());
        assertThat(fs).extracting(Finding::title).containsExactly("Slow tail at com.acme.Vol.read(Vol.java:7): read"
                + " p99 30.00 ms is 300.0x its p50 on /mnt/slow/f");
        assertThat(fs.get(0).evidence()).containsEntry("count", 300L).containsEntry("targets", 1);
    }
}
