package dev.hotpath.samples.cache;

import dev.hotpath.samples.common.Fault;
import dev.hotpath.samples.common.OriginClient;
import dev.hotpath.samples.common.HttpService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The tier-0 read cache: memory tier, then disk tier (memory evictions are demoted there, disk hits promoted back),
 * then the origin. Concurrent misses of one key share one origin fetch. A sequential epoch over numbered shards
 * triggers background prefetch of the next shards; the prefetch queue is bounded and drops (counted) when full —
 * a prefetch is a hint, not a request.
 */
final class ReadCache implements AutoCloseable {
    record Lookup(CachedObject object, String tier) {
    }

    /**
     * The process's read cache (a node runs one), published for in-process diagnostics as a service's singleton
     * usually is. Heap tools name what an object holds by the static it hangs from, the same in every dump of the
     * process ({@code static ...ReadCache.active.accessIndex}); a frame local is named by its object's address.
     */
    static volatile ReadCache active;

    /** The access index's window: the metrics' "recent accesses" are those of the last second. */
    static final long ACCESS_WINDOW_MILLIS = 1_000;

    private final OriginClient origin;
    private final MemoryTier memory;
    private final DiskTier disk;
    private final SequentialDetector detector;
    final AccessIndex accessIndex;
    private final String policy;
    private final ConcurrentHashMap<String, CompletableFuture<CachedObject>> inflight = new ConcurrentHashMap<>();
    private final Set<String> prefetchedUnused = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor prefetcher;

    final LongAdder requests = new LongAdder();
    final LongAdder memHits = new LongAdder();
    final LongAdder diskHits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder bytesServed = new LongAdder();
    final LongAdder bytesSaved = new LongAdder();
    final LongAdder bytesFromOrigin = new LongAdder();
    final LongAdder prefetchIssued = new LongAdder();
    final LongAdder prefetchUsed = new LongAdder();
    final LongAdder prefetchDropped = new LongAdder();

    ReadCache(OriginClient origin, long memBytes, long diskBytes, Path diskDir, String policy, int prefetchDepth,
              Set<Fault> faults) throws IOException {
        this.origin = origin;
        this.policy = policy;
        this.memory = new MemoryTier(memBytes, EvictionPolicy.create(policy, memBytes));
        this.disk = new DiskTier(diskDir, diskBytes, EvictionPolicy.create(policy, diskBytes));
        this.detector = new SequentialDetector(prefetchDepth);
        this.accessIndex = new AccessIndex(ACCESS_WINDOW_MILLIS, !faults.contains(Fault.HEAP_LEAK));
        this.prefetcher = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
                HttpService.daemonThreads("cache-prefetch"), (r, ex) -> prefetchDropped.increment());
    }

    /** {@code path} is "/bucket/key" as sent by the client (raw, percent-encoded). */
    Lookup get(String path, byte[] requestHead) throws IOException {
        long start = System.nanoTime();
        requests.increment();
        for (String next : detector.onAccess(path)) {
            prefetch(next);
        }
        String tier;
        CachedObject o = memory.get(path);
        if (o != null) {
            tier = "memory";
            memHits.increment();
        } else if ((o = disk.get(path)) != null) {
            tier = "disk";
            diskHits.increment();
            demote(memory.put(path, o));
        } else {
            tier = "origin";
            misses.increment();
            o = fetch(path);
        }
        if (!"origin".equals(tier)) {
            bytesSaved.add(o.data().length);
            if (prefetchedUnused.remove(path)) {
                prefetchUsed.increment();
            }
        }
        bytesServed.add(o.data().length);
        accessIndex.record(path, tier, o.data().length, start, System.currentTimeMillis(), requestHead);
        return new Lookup(o, tier);
    }

    private CachedObject fetch(String path) throws IOException {
        CompletableFuture<CachedObject> mine = new CompletableFuture<>();
        CompletableFuture<CachedObject> running = inflight.putIfAbsent(path, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        try {
            HttpResponse<byte[]> r = origin.send("GET", path, null);
            if (r.statusCode() != 200) {
                throw new OriginClient.OriginStatus(r);
            }
            CachedObject o = new CachedObject(r.body(), r.headers().firstValue("ETag").orElse(null));
            bytesFromOrigin.add(o.data().length);
            demote(memory.put(path, o));
            mine.complete(o);
            return o;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(path, mine);
        }
    }

    private void prefetch(String path) {
        if (memory.contains(path) || disk.contains(path) || inflight.containsKey(path)) {
            return;
        }
        prefetcher.execute(() -> {
            if (memory.contains(path) || disk.contains(path)) {
                return;
            }
            prefetchIssued.increment();
            try {
                fetch(path);
                prefetchedUnused.add(path);
            } catch (IOException e) {
                // the next shard may not exist (end of epoch): nothing to prefetch
            }
        });
    }

    private void demote(List<Map.Entry<String, CachedObject>> evicted) {
        for (Map.Entry<String, CachedObject> e : evicted) {
            try {
                disk.put(e.getKey(), e.getValue());
            } catch (IOException ex) {
                throw new UncheckedIOException("disk tier write failed for " + e.getKey(), ex);
            }
        }
    }

    void invalidate(String path) throws IOException {
        memory.remove(path);
        disk.remove(path);
        prefetchedUnused.remove(path);
    }

    Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        long req = requests.sum();
        long hits = memHits.sum() + diskHits.sum();
        m.put("policy", policy);
        m.put("requests", req);
        m.put("memHits", memHits.sum());
        m.put("diskHits", diskHits.sum());
        m.put("misses", misses.sum());
        m.put("hitRatio", req == 0 ? 0.0 : (double) hits / req);
        m.put("bytesServed", bytesServed.sum());
        m.put("bytesSaved", bytesSaved.sum());
        m.put("bytesFromOrigin", bytesFromOrigin.sum());
        m.put("prefetchIssued", prefetchIssued.sum());
        m.put("prefetchUsed", prefetchUsed.sum());
        m.put("prefetchDropped", prefetchDropped.sum());
        m.put("memEntries", memory.entries());
        m.put("memBytes", memory.bytes());
        m.put("memEvictions", memory.evictions());
        m.put("diskEntries", disk.entries());
        m.put("diskBytes", disk.bytes());
        m.put("diskEvictions", disk.evictions());
        m.put("accessIndexEntries", accessIndex.size());
        m.put("recentAccessesByTier", accessIndex.recentByTier(System.currentTimeMillis()));
        return m;
    }

    @Override
    public void close() {
        prefetcher.shutdownNow();
    }
}
