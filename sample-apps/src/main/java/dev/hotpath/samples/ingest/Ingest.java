package dev.hotpath.samples.ingest;

import com.sun.net.httpserver.HttpExchange;
import dev.hotpath.samples.common.Exchanges;
import dev.hotpath.samples.common.Fault;
import dev.hotpath.samples.common.HttpService;
import dev.hotpath.samples.common.OriginClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest pipeline: {@code POST /ingest} (newline-delimited events) → bounded batch queue → router threads
 * (parse, route by key prefix, append to partition buffers) → bounded segment queue → uploader threads (compress,
 * hold the partition's lease, PUT the segment to the gateway as {@code <bucket>/segments/<partition>/<instance>-<seq>.zz}).
 *
 * <p>Backpressure, nothing dropped silently: a batch that cannot enter the queue within {@value #OFFER_MILLIS} ms is
 * refused as a whole with 503 and {@code Retry-After: 1}; a full segment queue blocks the routers, which fills the
 * batch queue. An accepted batch is written before shutdown completes (shutdown flushes and waits); a segment that
 * still cannot be written then is counted in {@code segmentsFailed} and reported on stderr.
 *
 * <p>{@code POST /_hotpath/flush} seals every partition and waits until all accepted events are in the gateway;
 * {@code GET /_hotpath/metrics} serves counters as JSON.
 */
public final class Ingest implements AutoCloseable {
    static final long OFFER_MILLIS = 250;
    private static final byte[] STOP = new byte[0];
    private static final Segment STOP_SEGMENT = new Segment("", -1, new byte[0], 0, 0);

    /** Settings of one instance; defaults suit the demo. */
    public static final class Options {
        public String gatewayUrl;
        public String bucket = "ingest";
        public String instance = "ingest-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffff);
        public int port;
        public int threads = 8;
        public int queueBatches = 64;
        public int uploadQueue = 16;
        public int segmentBytes = 256 * 1024;
        public long splitThreshold = 20_000;
        public int maxDepth = 2;
        public int routers = 2;
        public int uploaders = 2;
        public long leaseTtlMillis = 30_000;
        public long rebalanceMillis = 1_000;
        public Set<Fault> faults = Set.of();
    }

    private final Options o;
    private final IngestMetrics metrics = new IngestMetrics();
    private final OriginClient gateway;
    private final BlockingQueue<byte[]> batches;
    private final BlockingQueue<Segment> segments;
    private final CompressorPool compressor;
    private final PartitionMap partitions;
    private final LeaseManager leases;
    private final List<EventParser> parsers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService ticker;
    private final HttpService http;
    private final AtomicLong pendingBatches = new AtomicLong();
    private final AtomicLong pendingSegments = new AtomicLong();
    private volatile boolean closing;

    private Ingest(Options o) throws IOException {
        this.o = o;
        this.gateway = new OriginClient(o.gatewayUrl);
        this.batches = new ArrayBlockingQueue<>(o.queueBatches);
        this.segments = new ArrayBlockingQueue<>(o.uploadQueue);
        this.compressor = new CompressorPool(6, o.uploaders, o.faults.contains(Fault.NATIVE_LEAK));
        this.partitions = new PartitionMap(o.faults.contains(Fault.LOCK_CONTENTION), o.segmentBytes, o.splitThreshold,
                o.maxDepth, compressor, metrics, s -> {
                    pendingSegments.incrementAndGet();
                    segments.put(s);
                });
        this.leases = new LeaseManager(gateway, o.bucket, o.instance, o.leaseTtlMillis, System::currentTimeMillis);
        this.ticker = Executors.newSingleThreadScheduledExecutor(HttpService.daemonThreads("ingest-rebalance"));
        this.http = new HttpService("ingest", "127.0.0.1", o.port, o.threads)
                .handle("/ingest", this::ingest)
                .handle("/_hotpath/flush", ex -> {
                    Exchanges.readBody(ex);
                    boolean done = flush(60_000);
                    Exchanges.sendJson(ex, done ? 200 : 504, metrics());
                })
                .handle("/_hotpath/metrics", ex -> Exchanges.sendJson(ex, 200, metrics()));
    }

    public static Ingest start(Options o) throws IOException {
        Ingest in = new Ingest(o);
        HttpResponse<byte[]> r = in.gateway.send("PUT", "/" + o.bucket, null);
        if (r.statusCode() != 200) {
            throw new IOException("could not create bucket " + o.bucket + " at " + o.gatewayUrl + ": " + r.statusCode());
        }
        for (int i = 0; i < o.routers; i++) {
            EventParser p = new EventParser(o.faults.contains(Fault.GC_PRESSURE), in.metrics);
            in.parsers.add(p);
            in.threads.add(in.thread("ingest-router-" + i, () -> in.routeLoop(p)));
        }
        for (int i = 0; i < o.uploaders; i++) {
            in.threads.add(in.thread("ingest-uploader-" + i, in::uploadLoop));
        }
        in.ticker.scheduleAtFixedRate(() -> {
            try {
                in.partitions.rebalance();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, o.rebalanceMillis, o.rebalanceMillis, TimeUnit.MILLISECONDS);
        in.http.start();
        return in;
    }

    private Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public int port() {
        return http.port();
    }

    public String url() {
        return http.baseUrl();
    }

    HttpService http() {
        return http;
    }

    PartitionMap partitions() {
        return partitions;
    }

    LeaseManager leases() {
        return leases;
    }

    private void ingest(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            Exchanges.sendText(ex, 405, "POST newline-delimited events to /ingest\n");
            return;
        }
        byte[] body = Exchanges.readBody(ex);
        int events = countLines(body);
        boolean queued = false;
        if (!closing) {
            pendingBatches.incrementAndGet();
            try {
                queued = batches.offer(body, OFFER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!queued) {
                pendingBatches.decrementAndGet();
            }
        }
        if (!queued) {
            metrics.batchesRejected.increment();
            ex.getResponseHeaders().set("Retry-After", "1");
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("error", closing ? "ingest is shutting down" : "ingest queue full");
            err.put("retryAfterSeconds", 1);
            Exchanges.sendJson(ex, 503, err);
            return;
        }
        metrics.batchesAccepted.increment();
        metrics.eventsAccepted.add(events);
        metrics.bytesIn.add(body.length);
        Exchanges.sendJson(ex, 202, Map.of("accepted", events));
    }

    private static int countLines(byte[] b) {
        int n = 0;
        int len = 0;
        for (byte x : b) {
            if (x == '\n') {
                n += len > 0 ? 1 : 0;
                len = 0;
            } else if (x != '\r') {
                len++;
            }
        }
        return n + (len > 0 ? 1 : 0);
    }

    private void routeLoop(EventParser parser) {
        try {
            while (true) {
                byte[] b = batches.take();
                if (b == STOP) {
                    return;
                }
                try {
                    parser.parse(b, partitions);
                } finally {
                    pendingBatches.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void uploadLoop() {
        try {
            while (true) {
                Segment s = segments.take();
                if (s == STOP_SEGMENT) {
                    return;
                }
                try {
                    upload(s);
                } finally {
                    pendingSegments.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void upload(Segment s) throws InterruptedException {
        byte[] data = s.compressed != null ? s.compressed : compressor.compress(s.raw, s.rawLength);
        String pid = PartitionMap.encode(s.partition);
        String path = "/" + o.bucket + "/segments/" + pid + "/" + o.instance + "-" + String.format("%08d", s.sequence) + ".zz";
        for (int attempt = 0; ; attempt++) {
            try {
                if (leases.acquire(pid)) {
                    HttpResponse<byte[]> r = gateway.send("PUT", path, data);
                    if (r.statusCode() == 200) {
                        metrics.segmentsUploaded.increment();
                        metrics.eventsWritten.add(s.events);
                        metrics.bytesCompressed.add(data.length);
                        return;
                    }
                } else {
                    metrics.leaseConflicts.increment();
                }
            } catch (IOException e) {
                // gateway unavailable: retry below
            }
            metrics.uploadRetries.increment();
            if (closing && attempt >= 20) {
                metrics.segmentsFailed.increment();
                System.err.println("ingest: segment " + path + " (" + s.events + " events) not written: "
                        + "gateway unavailable or partition leased by another instance");
                return;
            }
            Thread.sleep(Math.min(1000, 20L << Math.min(attempt, 6)));
        }
    }

    /**
     * Waits until the routers have put every accepted batch into its partitions (a 202 only means the batch is queued);
     * false when that takes longer than the timeout.
     */
    public boolean awaitRouted(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try {
            while (pendingBatches.get() > 0) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Seals all partitions and waits until every accepted event is uploaded (or failed). */
    public boolean flush(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try {
            if (!awaitRouted(timeoutMillis)) {
                return false;
            }
            partitions.sealAll();
            while (pendingSegments.get() > 0) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", "ingest");
        m.put("instance", o.instance);
        List<String> f = new ArrayList<>();
        for (Fault x : o.faults) {
            f.add(x.id());
        }
        m.put("faults", f);
        m.put("batchesAccepted", metrics.batchesAccepted.sum());
        m.put("batchesRejected", metrics.batchesRejected.sum());
        m.put("eventsAccepted", metrics.eventsAccepted.sum());
        m.put("eventsWritten", metrics.eventsWritten.sum());
        m.put("bytesIn", metrics.bytesIn.sum());
        m.put("bytesCompressed", metrics.bytesCompressed.sum());
        m.put("segmentsUploaded", metrics.segmentsUploaded.sum());
        m.put("segmentsFailed", metrics.segmentsFailed.sum());
        m.put("uploadRetries", metrics.uploadRetries.sum());
        m.put("queuedBatches", batches.size());
        m.put("queuedSegments", segments.size());
        m.put("partitions", partitions.size());
        m.put("splits", metrics.splits.sum());
        m.put("leasesHeld", leases.heldCount());
        m.put("leaseConflicts", metrics.leaseConflicts.sum());
        m.put("deflatersCreated", compressor.created());
        m.put("deflatersEnded", compressor.ended());
        m.put("deflatersLive", compressor.live());
        m.put("lockMode", o.faults.contains(Fault.LOCK_CONTENTION) ? "global" : "per-partition");
        m.put("compressionsUnderGlobalLock", metrics.compressionsUnderGlobalLock.sum());
        long window = 0;
        for (EventParser p : parsers) {
            window += p.dedupWindowSize();
        }
        m.put("dedupWindowEntries", window);
        m.put("shortLivedObjects", metrics.shortLivedObjects.sum());
        return m;
    }

    /**
     * How long a stopping ingest waits for accepted events to reach the gateway. A supervisor gives a stopping
     * service a bounded time before it kills it ({@code hotpath record}: 20 s), and a killed JVM loses what its
     * shutdown writes (profiles, recordings), so shutdown must end well inside that even when the gateway is slow.
     */
    static final long CLOSE_FLUSH_MILLIS = 8_000;
    /** After the flush: time for the worker threads to take their stop marks. */
    static final long CLOSE_JOIN_MILLIS = 2_000;

    /**
     * Graceful and bounded: refuse new batches, write what the gateway takes within {@link #CLOSE_FLUSH_MILLIS},
     * report on stderr what it did not (nothing is dropped silently), release leases, end the Deflaters.
     */
    @Override
    public void close() {
        closing = true;
        http.close();
        ticker.shutdownNow();
        boolean flushed = flush(CLOSE_FLUSH_MILLIS);
        long deadline = System.currentTimeMillis() + CLOSE_JOIN_MILLIS;
        try {
            // offer, not put: a worker stuck on a slow gateway must not hold the shutdown hook
            for (int i = 0; i < o.routers; i++) {
                batches.offer(STOP, Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            }
            for (int i = 0; i < o.uploaders; i++) {
                segments.offer(STOP_SEGMENT, Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            }
            for (Thread t : threads) {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!flushed) {
            System.err.println("ingest: stopped before the gateway took everything: " + pendingBatches.get()
                    + " batches and " + pendingSegments.get() + " segments not written within " + CLOSE_FLUSH_MILLIS + " ms");
        }
        leases.releaseAll();
        compressor.close();
    }
}
