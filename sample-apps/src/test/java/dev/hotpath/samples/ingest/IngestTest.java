package dev.hotpath.samples.ingest;

import static dev.hotpath.samples.testing.Http.get;
import static dev.hotpath.samples.testing.Http.header;
import static dev.hotpath.samples.testing.Http.send;
import static dev.hotpath.samples.testing.Http.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotpath.samples.common.Fault;
import dev.hotpath.samples.common.Json;
import dev.hotpath.samples.gateway.Gateway;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
    @TempDir
    Path dir;
    Gateway gw;
    final List<Ingest> started = new ArrayList<>();

    @BeforeEach
    void startGateway() throws Exception {
        gw = Gateway.start(dir.resolve("gw"), 0, 4, Set.of());
    }

    @AfterEach
    void stop() {
        for (Ingest i : started) {
            i.close();
        }
        gw.close();
    }

    private Ingest start(Set<Fault> faults, int segmentBytes, long splitThreshold, String instance) throws Exception {
        Ingest.Options o = new Ingest.Options();
        o.gatewayUrl = gw.url();
        o.instance = instance;
        o.segmentBytes = segmentBytes;
        o.splitThreshold = splitThreshold;
        o.rebalanceMillis = 3_600_000; // tests call rebalance() themselves
        o.faults = faults;
        Ingest in = Ingest.start(o);
        started.add(in);
        return in;
    }

    static List<String> events(String tenant, int n, int seed) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.format("%s/%08x seq=%d v=%d", tenant, (seed * 7919 + i * 104729) & 0xfffffff, seed * 100_000 + i, i));
        }
        return out;
    }

    static HttpResponse<byte[]> post(Ingest in, List<String> lines) {
        return send("POST", in.url() + "/ingest", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void flush(Ingest in) {
        assertThat(send("POST", in.url() + "/_hotpath/flush", new byte[0]).statusCode()).isEqualTo(200);
    }

    long metric(Ingest in, String name) {
        return ((Number) in.metrics().get(name)).longValue();
    }

    /** Every event line stored in the gateway's segments, by segment object path. */
    List<String> storedLines(String underPrefix) throws Exception {
        List<String> lines = new ArrayList<>();
        Path base = dir.resolve("gw/ingest/segments");
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                String rel = base.relativize(p).toString();
                if (!rel.startsWith(underPrefix)) {
                    continue;
                }
                for (String l : inflate(Files.readAllBytes(p)).split("\n")) {
                    lines.add(l);
                }
            }
        }
        return lines;
    }

    static String inflate(byte[] z) throws Exception {
        Inflater inf = new Inflater();
        inf.setInput(z);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!inf.finished()) {
            out.write(buf, 0, inf.inflate(buf));
        }
        inf.end();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void acceptedEventsEndUpInCompressedSegmentsOfTheirPartition() throws Exception {
        Ingest in = start(Set.of(), 2048, Long.MAX_VALUE, "a");
        List<String> all = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            List<String> batch = new ArrayList<>(events("tenant-00", 40, b));
            batch.addAll(events("tenant-01", 10, b));
            HttpResponse<byte[]> r = post(in, batch);
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(Json.parseObject(text(r))).containsEntry("accepted", 50L);
            all.addAll(batch);
        }
        flush(in);
        assertThat(storedLines("")).containsExactlyInAnyOrderElementsOf(all);
        assertThat(storedLines("tenant-00_2F/")).hasSize(120).allMatch(l -> l.startsWith("tenant-00/"));
        assertThat(storedLines("tenant-01_2F/")).hasSize(30).allMatch(l -> l.startsWith("tenant-01/"));
        assertThat(metric(in, "eventsAccepted")).isEqualTo(150);
        assertThat(metric(in, "eventsWritten")).isEqualTo(150);
        assertThat(metric(in, "bytesCompressed")).isLessThan(metric(in, "bytesIn"));
        try (Stream<Path> s = Files.list(dir.resolve("gw/ingest/segments/tenant-00_2F"))) {
            assertThat(s.map(p -> p.getFileName().toString())).allMatch(n -> n.matches("a-\\d{8}\\.zz")).hasSizeGreaterThan(1);
        }
    }

    @Test
    void hotPartitionsSplitByTheNextKeyCharacter() throws Exception {
        Ingest in = start(Set.of(), 1 << 20, 50, "a");
        post(in, events("tenant-00", 200, 1));
        post(in, events("tenant-01", 20, 1));
        assertThat(in.awaitRouted(30_000)).isTrue(); // the routers count the events after the 202, asynchronously
        in.partitions().rebalance();
        assertThat(metric(in, "splits")).isEqualTo(1);
        List<String> more = events("tenant-00", 200, 2);
        post(in, more);
        flush(in);
        assertThat(in.partitions().ids()).contains("tenant-01/").doesNotContain("tenant-00/")
                .anyMatch(id -> id.matches("tenant-00/[0-9a-f]"));
        List<String> child = new ArrayList<>();
        for (String id : in.partitions().ids()) {
            if (id.startsWith("tenant-00/")) {
                child.addAll(storedLines(PartitionMap.encode(id) + "/"));
            }
        }
        assertThat(child).containsExactlyInAnyOrderElementsOf(more);
        assertThat(storedLines("")).hasSize(420);
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndNothingAcceptedIsLost() throws Exception {
        Ingest.Options o = new Ingest.Options();
        o.gatewayUrl = gw.url();
        o.instance = "bp";
        o.queueBatches = 1;
        o.uploadQueue = 1;
        o.routers = 1;
        o.uploaders = 1;
        o.segmentBytes = 200;
        o.rebalanceMillis = 3_600_000;
        Ingest in = Ingest.start(o);
        started.add(in);
        int port = gw.port();
        Path root = gw.root();
        gw.close(); // uploads now fail and retry: the pipeline backs up
        HttpResponse<byte[]> refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            HttpResponse<byte[]> r = post(in, events("tenant-00", 10, i));
            if (r.statusCode() == 503) {
                refused = r;
            } else {
                assertThat(r.statusCode()).isEqualTo(202);
            }
        }
        assertThat(refused).isNotNull();
        assertThat(header(refused, "Retry-After")).isEqualTo("1");
        assertThat(text(refused)).isEqualTo("{\"error\":\"ingest queue full\",\"retryAfterSeconds\":1}");
        gw = Gateway.start(root, port, 4, Set.of());
        flush(in);
        long accepted = metric(in, "eventsAccepted");
        assertThat(metric(in, "batchesRejected")).isGreaterThanOrEqualTo(1);
        assertThat(metric(in, "uploadRetries")).isGreaterThanOrEqualTo(1);
        assertThat(metric(in, "eventsWritten")).isEqualTo(accepted);
        assertThat(storedLines("")).hasSize((int) accepted);
    }

    @Test
    void nativeLeakCreatesADeflaterPerSegmentAndNeverEndsThem() throws Exception {
        Ingest leaky = start(Set.of(Fault.NATIVE_LEAK), 512, Long.MAX_VALUE, "leaky");
        for (int b = 0; b < 5; b++) {
            post(leaky, events("tenant-00", 30, b));
        }
        flush(leaky);
        long segments = metric(leaky, "segmentsUploaded");
        assertThat(segments).isGreaterThan(5);
        assertThat(metric(leaky, "deflatersCreated")).isEqualTo(segments);
        assertThat(metric(leaky, "deflatersEnded")).isZero();
        assertThat(metric(leaky, "deflatersLive")).isEqualTo(segments);
    }

    @Test
    void cleanIngestReusesAtMostOneDeflaterPerUploaderAndEndsThemAtShutdown() throws Exception {
        Ingest clean = start(Set.of(), 512, Long.MAX_VALUE, "clean");
        for (int b = 0; b < 5; b++) {
            post(clean, events("tenant-00", 30, b));
        }
        flush(clean);
        assertThat(metric(clean, "segmentsUploaded")).isGreaterThan(5);
        assertThat(metric(clean, "deflatersCreated")).isBetween(1L, 2L);
        clean.close();
        started.remove(clean);
        assertThat(metric(clean, "deflatersLive")).isZero();
    }

    @Test
    void lockContentionGuardsEveryPartitionWithOneGlobalLockHeldDuringCompression() throws Exception {
        Ingest contended = start(Set.of(Fault.LOCK_CONTENTION), 512, Long.MAX_VALUE, "g");
        PartitionMap map = contended.partitions();
        assertThat(map.lockFor("tenant-00/")).isSameAs(map).isSameAs(map.lockFor("tenant-01/"));
        post(contended, events("tenant-00", 100, 1));
        flush(contended);
        assertThat(contended.metrics()).containsEntry("lockMode", "global");
        assertThat(metric(contended, "compressionsUnderGlobalLock")).isGreaterThanOrEqualTo(5);

        Ingest clean = start(Set.of(), 512, Long.MAX_VALUE, "p");
        assertThat(clean.partitions().lockFor("tenant-00/")).isNotSameAs(clean.partitions().lockFor("tenant-01/"));
        post(clean, events("tenant-05", 100, 1)); // tenant-00's lease belongs to the other instance
        flush(clean);
        assertThat(metric(clean, "compressionsUnderGlobalLock")).isZero();
    }

    @Test
    void gcPressureKeepsEveryParsedEventInTheDedupWindow() throws Exception {
        Ingest pressured = start(Set.of(Fault.GC_PRESSURE), 1 << 20, Long.MAX_VALUE, "gc");
        post(pressured, events("tenant-00", 300, 1));
        post(pressured, events("tenant-01", 200, 2));
        flush(pressured);
        assertThat(metric(pressured, "dedupWindowEntries")).isEqualTo(500);
        assertThat(metric(pressured, "eventsWritten")).isEqualTo(500);
        Ingest clean = start(Set.of(), 1 << 20, Long.MAX_VALUE, "nogc");
        post(clean, events("tenant-05", 300, 1)); // tenant-00's lease belongs to the other instance
        flush(clean);
        assertThat(metric(clean, "dedupWindowEntries")).isZero();
    }

    @Test
    void twoInstancesNeverHoldTheSamePartitionLease() throws Exception {
        Ingest a = start(Set.of(), 1 << 20, Long.MAX_VALUE, "instance-a");
        Ingest b = start(Set.of(), 1 << 20, Long.MAX_VALUE, "instance-b");
        post(a, events("tenant-00", 10, 1));
        flush(a);
        assertThat(text(get(gw.url() + "/ingest/leases/tenant-00_2F"))).startsWith("owner=instance-a\nexpires=");
        assertThat(b.leases().acquire("tenant-00_2F")).isFalse();
        a.close();
        started.remove(a);
        assertThat(get(gw.url() + "/ingest/leases/tenant-00_2F").statusCode()).isEqualTo(404);
        assertThat(b.leases().acquire("tenant-00_2F")).isTrue();
        assertThat(b.leases().ownerOf("tenant-00_2F")).isEqualTo("instance-b");
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldHolderLosesIt() throws Exception {
        gw.close();
        gw = Gateway.start(dir.resolve("gw"), 0, 4, Set.of());
        send("PUT", gw.url() + "/ingest", null);
        long[] clockX = {1_000_000};
        long[] clockY = {1_000_000};
        var origin = new dev.hotpath.samples.common.OriginClient(gw.url());
        LeaseManager x = new LeaseManager(origin, "ingest", "x", 1_000, () -> clockX[0]);
        LeaseManager y = new LeaseManager(origin, "ingest", "y", 1_000, () -> clockY[0]);
        assertThat(x.acquire("p")).isTrue();
        assertThat(y.acquire("p")).isFalse();
        clockY[0] += 5_000; // x's lease has expired from y's point of view
        assertThat(y.acquire("p")).isTrue();
        assertThat(x.ownerOf("p")).isEqualTo("y");
        clockX[0] += 900; // x wants to renew: its If-Match no longer matches
        assertThat(x.acquire("p")).isFalse();
        assertThat(x.heldCount()).isZero();
    }

    @Test
    void metricsAreJson() throws Exception {
        Ingest in = start(Set.of(), 1 << 20, Long.MAX_VALUE, "m");
        Map<String, Object> m = Json.parseObject(text(get(in.url() + "/_hotpath/metrics")));
        assertThat(m).containsEntry("service", "ingest").containsEntry("instance", "m").containsEntry("lockMode", "per-partition");
    }
}
