package dev.hotpath.samples.cache;

import static dev.hotpath.samples.testing.Http.bytes;
import static dev.hotpath.samples.testing.Http.get;
import static dev.hotpath.samples.testing.Http.header;
import static dev.hotpath.samples.testing.Http.json;
import static dev.hotpath.samples.testing.Http.put;
import static dev.hotpath.samples.testing.Http.send;
import static dev.hotpath.samples.testing.Http.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotpath.samples.common.Fault;
import dev.hotpath.samples.gateway.Gateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTest {
    @TempDir
    Path dir;
    Gateway gw;
    Cache cache;

    @BeforeEach
    void startGateway() throws Exception {
        gw = Gateway.start(dir.resolve("gw"), 0, 4, Set.of());
        put(gw.url() + "/data", null);
    }

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.close();
        }
        gw.close();
    }

    private Cache start(long mem, long disk, int prefetch, Set<Fault> faults) throws Exception {
        Cache.Options o = new Cache.Options();
        o.originUrl = gw.url();
        o.memBytes = mem;
        o.diskBytes = disk;
        o.diskDir = dir.resolve("cache");
        o.prefetchDepth = prefetch;
        o.faults = faults;
        cache = Cache.start(o);
        return cache;
    }

    private long m(String name) {
        return ((Number) json(cache.url() + "/_hotpath/metrics").get(name)).longValue();
    }

    @Test
    void missThenMemoryHitWithHitRatioAndBytesSaved() throws Exception {
        start(1 << 20, 1 << 20, 0, Set.of());
        byte[] body = bytes(10_000, 1);
        put(gw.url() + "/data/obj", body);
        HttpResponse<byte[]> first = get(cache.url() + "/data/obj");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(header(first, "X-Cache")).isEqualTo("origin");
        assertThat(first.body()).isEqualTo(body);
        HttpResponse<byte[]> second = get(cache.url() + "/data/obj");
        assertThat(header(second, "X-Cache")).isEqualTo("memory");
        assertThat(second.body()).isEqualTo(body);
        assertThat(header(second, "ETag")).isEqualTo(header(first, "ETag"));
        Map<String, Object> metrics = json(cache.url() + "/_hotpath/metrics");
        assertThat(metrics).containsEntry("requests", 2L).containsEntry("memHits", 1L).containsEntry("misses", 1L)
                .containsEntry("hitRatio", 0.5).containsEntry("bytesSaved", 10_000L)
                .containsEntry("bytesFromOrigin", 10_000L).containsEntry("bytesServed", 20_000L);
    }

    @Test
    void memoryEvictionsAreDemotedToDiskAndServedFromThere() throws Exception {
        start(25_000, 1 << 20, 0, Set.of());
        for (int i = 0; i < 3; i++) {
            put(gw.url() + "/data/o" + i, bytes(10_000, i));
            get(cache.url() + "/data/o" + i);
        }
        assertThat(m("memEntries")).isEqualTo(2);
        assertThat(m("diskEntries")).isEqualTo(1);
        HttpResponse<byte[]> r = get(cache.url() + "/data/o0");
        assertThat(header(r, "X-Cache")).isEqualTo("disk");
        assertThat(r.body()).isEqualTo(bytes(10_000, 0));
        assertThat(m("diskHits")).isEqualTo(1);
    }

    @Test
    void rangesAreCutFromTheCachedObjectAndMissingKeysPassThrough() throws Exception {
        start(1 << 20, 1 << 20, 0, Set.of());
        put(gw.url() + "/data/abc", "abcdefghij".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> r = get(cache.url() + "/data/abc", "Range", "bytes=3-5");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(text(r)).isEqualTo("def");
        assertThat(header(r, "Content-Range")).isEqualTo("bytes 3-5/10");
        HttpResponse<byte[]> missing = get(cache.url() + "/data/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).contains("<Code>NoSuchKey</Code>");
    }

    @Test
    void writesThroughTheCacheInvalidateTheCachedCopy() throws Exception {
        start(1 << 20, 1 << 20, 0, Set.of());
        put(cache.url() + "/data/k", "v1".getBytes(StandardCharsets.UTF_8));
        assertThat(text(get(cache.url() + "/data/k"))).isEqualTo("v1");
        assertThat(put(cache.url() + "/data/k", "v2".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(text(get(cache.url() + "/data/k"))).isEqualTo("v2");
        assertThat(send("DELETE", cache.url() + "/data/k", null).statusCode()).isEqualTo(204);
        assertThat(get(cache.url() + "/data/k").statusCode()).isEqualTo(404);
        assertThat(text(get(cache.url() + "/data?list-type=2"))).contains("<KeyCount>0</KeyCount>");
    }

    @Test
    void aSequentialEpochPrefetchesTheNextShards() throws Exception {
        start(1 << 20, 1 << 20, 2, Set.of());
        for (int i = 0; i < 6; i++) {
            put(gw.url() + String.format("/data/train/shard-%05d.bin", i), bytes(4096, i));
        }
        get(cache.url() + "/data/train/shard-00000.bin");
        get(cache.url() + "/data/train/shard-00001.bin"); // second in a row: sequential, prefetch 2 and 3
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (m("memEntries") < 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(m("prefetchIssued")).isEqualTo(2);
        HttpResponse<byte[]> r = get(cache.url() + "/data/train/shard-00002.bin");
        assertThat(header(r, "X-Cache")).isEqualTo("memory");
        assertThat(r.body()).isEqualTo(bytes(4096, 2));
        assertThat(m("prefetchUsed")).isEqualTo(1);
    }

    @Test
    void heapLeakKeepsEveryAccessInTheIndex() throws Exception {
        start(1 << 20, 1 << 20, 0, Set.of(Fault.HEAP_LEAK));
        put(gw.url() + "/data/k", new byte[100]);
        for (int i = 0; i < 500; i++) {
            get(cache.url() + "/data/k");
        }
        assertThat(m("accessIndexEntries")).isEqualTo(500);
    }

    @Test
    void accessIndexPrunesOutsideItsWindowUnlessLeaking() {
        AccessIndex pruned = new AccessIndex(1_000, true);
        AccessIndex leaking = new AccessIndex(1_000, false);
        AccessIndex busy = new AccessIndex(1_000, true);
        for (int i = 0; i < 10_000; i++) {
            pruned.record("k", "memory", 1, 0, i * 10L, new byte[8]);
            leaking.record("k", "memory", 1, 0, i * 10L, new byte[8]);
            busy.record("k", "memory", 1, 0, i, new byte[8]);
        }
        assertThat(pruned.size()).isEqualTo(101); // times 98990..99990
        assertThat(leaking.size()).isEqualTo(10_000);
        assertThat(busy.size()).isEqualTo(AccessIndex.MAX_RECENT); // 1001 within the window, capped
    }
}
