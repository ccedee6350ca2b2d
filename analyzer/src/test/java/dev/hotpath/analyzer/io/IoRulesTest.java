package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.rules.RuleSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The io rules on a snapshot with every planted fault, and on one without. */
class IoRulesTest {
    @TempDir
    Path dir;

    private List<Finding> run(String json, Path fio, List<String> settings) throws Exception {
        Path p = Files.writeString(dir.resolve("snap.json"), json);
        IoSnapshot s = AgentSnapshotReader.read(p, IoSnapshotFixtures.artifact(p), n -> { });
        List<Summary> summaries = new java.util.ArrayList<>(List.of(s));
        if (fio != null) {
            summaries.add(DeviceResults.read(fio, new Artifact(fio, ArtifactType.FIO, Files.size(fio), null,
                    Map.of())));
        }
        return IoAnalysis.run(summaries, RuleSettings.parse(settings, IoAnalysis.RULES));
    }

    private Path dataFile(long size) throws Exception {
        Path data = dir.resolve("shards.bin");
        try (var ch = java.nio.channels.FileChannel.open(data, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
        }
        return data;
    }

    private static Finding only(List<Finding> fs, String id) {
        List<Finding> of = fs.stream().filter(f -> f.id().equals(id)).toList();
        assertThat(of).as(id).hasSize(1);
        return of.get(0);
    }

    @Test
    void everyPlantedFaultIsFoundWithItsNumbers() throws Exception {
        Path data = dataFile(8L << 20);
        List<Finding> fs = run(IoSnapshotFixtures.faulty(data.toString()), null, List.of());
        // critical first, then warnings and infos in rule order; small socket writes count as small writes too, and
        // one site writing to two peers is one finding
        assertThat(fs).extracting(Finding::id).containsExactly("io.small-writes", "io.force-per-write",
                "io.small-writes", "io.random-reads", "io.read-amplification", "io.hot-socket-peer");
        assertThat(fs.stream().filter(f -> f.id().equals("io.small-writes")).map(f -> f.evidence().get("target")))
                .containsExactly("/data/seg-001.log", "2 socket targets");
        assertThat(fs.get(2).title()).isEqualTo("Small writes at com.acme.Peer.send(Peer.java:10): 31000 writes of"
                + " 100.0 bytes on average to 2 socket targets");
        assertThat(fs.get(2).evidence()).containsEntry("count", 31000L).containsEntry("bytes", 3100000L)
                .containsEntry("targets", 2).containsEntry("exampleTargets", List.of("10.0.0.7:9000", "10.0.0.8:9000"));

        Finding small = fs.get(0);
        assertThat(small.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(small.title()).isEqualTo("Small writes at com.acme.Log.append(Log.java:88): 200000 writes of 128.0"
                + " bytes on average to /data/seg-001.log");
        assertThat(small.evidence()).containsEntry("count", 200000L).containsEntry("avgBytes", 128.0)
                .containsEntry("writesPerSecond", 2000.0).containsEntry("p50Nanos", 1200L);
        assertThat(small.sources()).containsExactly("snap.json");

        Finding force = only(fs, "io.force-per-write");
        assertThat(force.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(force.title()).isEqualTo("Force per write at com.acme.Journal.commit(Journal.java:41): 5000 forces"
                + " for 5000 writes (1.0 per write) on /data/journal");
        assertThat(force.evidence()).containsEntry("forceSites", List.of("com.acme.Journal.commit(Journal.java:41)"))
                .containsEntry("forceP99Nanos", 9000000L);

        Finding random = only(fs, "io.random-reads");
        assertThat(random.evidence()).containsEntry("site", "com.acme.Shards.fetch(Shards.java:120)")
                .containsEntry("avgBytes", 4096.0).containsEntry("count", 50000L);

        Finding amp = only(fs, "io.read-amplification");
        assertThat(amp.evidence()).containsEntry("fileSizeBytes", 8L << 20).containsEntry("readBytes", 204800000L)
                .containsEntry("amplification", 24.4);

        // the random reads' p99 (2.5 ms) is 31x their p50 but below the file floor of 20 ms; the forces' p99 is only
        // 4.5x their p50: no slow tail, unless the floor is lowered
        assertThat(fs).extracting(Finding::id).doesNotContain("io.slow-target");
        Finding slow = only(run(IoSnapshotFixtures.faulty(data.toString()), null,
                List.of("io.slow-target.minFileP99Ms=2")), "io.slow-target");
        assertThat(slow.evidence()).containsEntry("site", "com.acme.Shards.fetch(Shards.java:120)")
                .containsEntry("p99OverP50", 31.3).containsEntry("p99Nanos", 2500000L);

        Finding peer = only(fs, "io.hot-socket-peer");
        assertThat(peer.title()).isEqualTo("Hot socket peer 10.0.0.7:9000: 96.8% of socket operations (30000 ops,"
                + " 2.9 MiB)");
    }

    /**
     * A server's connections from one client host (the agent's target "HOST (client of :PORT)" for accepted
     * connections) are a hot client, not a dependency to pool: said so, with advice for a client.
     */
    @Test
    void oneClientHostCarryingAServersTrafficIsAHotClient() throws Exception {
        String json = "{\"pid\":1,\"startedAt\":\"2026-11-25T10:00:00Z\",\"capturedAt\":\"2026-11-25T10:00:10Z\","
                + "\"dropped\":0,\"callSites\":["
                + IoSnapshotFixtures.site("(jdk)", "socket", "read", "10.0.0.7 (client of :8080)", 9000, 2_700_000,
                        20000, 90000, "n/a") + ","
                + IoSnapshotFixtures.site("com.acme.Http.respond(Http.java:53)", "socket", "write",
                        "10.0.0.7 (client of :8080)", 9000, 1_440_000, 30000, 90000, "n/a") + ","
                + IoSnapshotFixtures.site("com.acme.Db.query(Db.java:7)", "socket", "write", "10.0.0.9:5432", 600,
                        60_000, 30000, 90000, "n/a") + "]}";
        Finding peer = only(run(json, null, List.of()), "io.hot-socket-peer");
        assertThat(peer.title()).isEqualTo("Hot client 10.0.0.7 on :8080: 96.8% of socket operations (18000 ops,"
                + " 3.9 MiB)");
        assertThat(peer.summary()).isEqualTo("From (jdk), com.acme.Http.respond(Http.java:53); worst site p99"
                + " 90.0 us.");
        assertThat(peer.recommendation()).isEqualTo("One client host brings most of the traffic on :8080. If it is"
                + " a load balancer or proxy, that is expected; otherwise it is the load to size for: check that it"
                + " reuses its connections and batches small requests, and what it asks again and again that it could"
                + " cache.");
        assertThat(peer.evidence()).containsEntry("target", "10.0.0.7 (client of :8080)").containsEntry("ops", 18000L);
    }

    @Test
    void thresholdsAreOverridableAndHealthyIoGivesNothing() throws Exception {
        String healthy = "{\"pid\":1,\"startedAt\":\"2026-11-25T10:00:00Z\",\"capturedAt\":\"2026-11-25T10:00:10Z\","
                + "\"dropped\":0,\"callSites\":["
                + IoSnapshotFixtures.site("com.acme.Log.append(Log.java:88)", "file", "write", "/data/log", 5000,
                        327680000, 30000, 90000, "sequential") + ","
                + IoSnapshotFixtures.site("com.acme.Scan.next(Scan.java:12)", "file", "read", "/data/big", 5000,
                        5242880000L, 200000, 900000, "sequential") + "]}";
        assertThat(run(healthy, null, List.of())).isEmpty();
        List<Finding> strict = run(healthy, null, List.of("io.small-writes.maxAvgBytes=100000"));
        assertThat(strict).extracting(Finding::id).containsExactly("io.small-writes");
    }

    @Test
    void hotSitesAreComparedWithTheDevice() throws Exception {
        Path fio = Path.of(getClass().getResource("/io/fio-randread.json").toURI());
        Path data = dataFile(1L << 30);
        List<Finding> fs = run(IoSnapshotFixtures.faulty(data.toString()), fio,
                List.of("io.device-comparison.minOps=40000"));
        List<Finding> cmp = fs.stream().filter(f -> f.id().equals("io.device-comparison")).toList();
        assertThat(cmp).hasSize(2);
        Finding read = cmp.stream().filter(f -> f.evidence().get("op").equals("read")).findFirst().orElseThrow();
        assertThat(read.severity()).isEqualTo(Severity.WARNING);
        assertThat(read.title()).isEqualTo("com.acme.Shards.fetch(Shards.java:120) reaches 2.5% of the device's"
                + " random-read IOPS; its p99 is 11.5x the device's");
        assertThat(read.evidence()).containsEntry("deviceJob", "randread-4k").containsEntry("deviceIops", 20000.0)
                .containsEntry("opsPerSecond", 500.0).containsEntry("deviceP99Nanos", 218112L);
        assertThat(read.sources()).containsExactly("snap.json", "fio-randread.json");
    }

    /**
     * elbencho's CSV results file, written from its documented columns (docs/csv-docs.md; elbencho is neither a
     * Debian nor a Maven package, so no real run makes one here): a metadata phase, a sequential 1 MiB write and a
     * random 4 KiB read, one label holding a comma.
     */
    @Test
    void elbenchoResultsAreReadAndCompareTheSitesMedianWithTheDevicesMean() throws Exception {
        Path csv = Path.of(getClass().getResource("/io/elbencho-results.csv").toURI());
        DeviceBaseline device = DeviceResults.read(csv, new Artifact(csv, ArtifactType.FIO, Files.size(csv), null, Map.of()));
        assertThat(device.tool()).isEqualTo("elbencho 3.0-25");
        assertThat(device.jobs()).containsExactly(
                new DeviceJob("write bs 1m (row 2)", "write", "1m", 0, 0, 0, 0, 2941, 2941L * 1024 * 1024, 0, 0, 0, 9_383_000),
                new DeviceJob("nvme, 4k random read bs 4k random (row 3)", "randread", "4k", 20000, 81_920_000, 0, 0, 0, 0, 0, 0,
                        16_000, 0));
        Path data = dataFile(1L << 30);
        List<Finding> fs = run(IoSnapshotFixtures.faulty(data.toString()), csv, List.of("io.device-comparison.minOps=40000"));
        Finding read = fs.stream().filter(f -> f.id().equals("io.device-comparison") && f.evidence().get("op").equals("read"))
                .findFirst().orElseThrow();
        // the site's median 80 us against the device's mean 16 us: 5x, at or over p99Factor 4
        assertThat(read.severity()).isEqualTo(Severity.WARNING);
        assertThat(read.title()).isEqualTo("com.acme.Shards.fetch(Shards.java:120) reaches 2.5% of the device's"
                + " random-read IOPS; its median is 5.0x the device's mean");
        assertThat(read.summary()).isEqualTo("500.0 reads/s on " + data + " (random) against 20000.0 IOPS measured by"
                + " elbencho job 'nvme, 4k random read bs 4k random (row 3)' (randread, bs 4k); median 80.0 us against"
                + " the device's mean 16.0 us (elbencho reports no percentiles).");
        assertThat(read.evidence()).containsEntry("p50Nanos", 80000L).containsEntry("deviceMeanNanos", 16000L)
                .containsEntry("p50OverDeviceMean", 5.0).doesNotContainKey("deviceP99Nanos");
        assertThat(read.sources()).containsExactly("snap.json", "elbencho-results.csv");
    }

    @Test
    void elbenchoJsonRowsReadLikeItsCsvAndBadResultsAreRefusedByName() throws Exception {
        Path json = Files.writeString(dir.resolve("res.json"), "[\n {\"ISO date\":\"2026-11-25T09:52:00\",\"operation\":\"WRITE\","
                + "\"block size\":\"4096\",\"random\":\"1\",\"IOPS [last]\":\"1000\",\"MiB/s [last]\":\"3.90625\","
                + "\"IO lat us [avg]\":\"250\",\"rwmix read IOPS [last]\":\"3000\",\"rwmix read MiB/s [last]\":\"11.71875\","
                + "\"rwmix read IO lat us [avg]\":\"120\",\"version\":\"3.0-25\"}\n]\n");
        DeviceBaseline d = DeviceResults.read(json, new Artifact(json, ArtifactType.FIO, Files.size(json), null, Map.of()));
        // --rwmixpct: the writes in the main columns, the reads beside them in "rwmix read ..."
        assertThat(d.jobs()).containsExactly(new DeviceJob("write bs 4k random (row 1)", "randrw", "4k", 3000, 12_288_000, 0, 0,
                1000, 4_096_000, 0, 0, 120_000, 250_000));
        Path meta = Files.writeString(dir.resolve("meta.csv"), "ISO date,label,operation,IOPS [last],entries/s [last]\n"
                + "2026-11-25T09:50:00,,MKDIRS,,1466\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeviceResults.read(meta,
                        new Artifact(meta, ArtifactType.FIO, Files.size(meta), null, Map.of())))
                .isInstanceOf(dev.hotpath.analyzer.model.UnusableInputException.class)
                .hasMessage(meta + ": elbencho results without a READ or WRITE phase that measured IOPS");
    }
}
