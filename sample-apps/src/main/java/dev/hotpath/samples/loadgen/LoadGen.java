package dev.hotpath.samples.loadgen;

import dev.hotpath.samples.common.Args;
import dev.hotpath.samples.common.Fault;
import dev.hotpath.samples.common.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator. Closed loop ({@code --threads N}, each thread issues its next operation when the last one
 * completes) or open loop ({@code --rate R} operations per second on a fixed schedule; latency is measured from the
 * scheduled start, so a slow server is not hidden by coordinated omission). At the end it prints one JSON summary
 * (elbencho-like: per operation ops, ops/s, MiB/s, latency p50/p90/p99/p99.9 in µs) on stdout.
 *
 * <pre>
 * loadgen --target=URL [--ingest=URL] [--workload=seq-read:3,write:1] [--bucket=data] [--prefix=train/]
 *         [--objects=64] [--sizes=256k | 4k:70,1m:30] [--read-range=0] [--write-keys=256] [--prepare]
 *         [--threads=4] [--rate=0] [--duration=10s] [--ops=0] [--events-per-batch=200] [--tenants=8]
 *         [--fault=random-reads] [--seed=1] [--json=FILE]
 * </pre>
 * Shards are {@code <prefix>shard-NNNNN.bin}; a seq-read epoch is shared by all threads (like a data loader's
 * workers), so the server sees one ascending stream. {@code --fault=random-reads} shuffles each epoch, which
 * defeats sequential prefetch.
 */
public final class LoadGen {
    private final Config c;
    private final Operations http = new Operations();
    private final AtomicLong epochCursor = new AtomicLong();
    private final AtomicLong opIndex = new AtomicLong();
    private final AtomicLong writeCounter = new AtomicLong();
    private final AtomicLong eventSeq = new AtomicLong();
    private volatile int[] epochOrder;
    private final byte[] payload;

    private LoadGen(Config c) {
        this.c = c;
        this.payload = new byte[(int) Math.max(c.sizes.max(), 1)];
        new SplittableRandom(c.seed).nextBytes(payload);
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Config c = Config.parse(Args.parse(argv));
        LoadGen g = new LoadGen(c);
        if (c.prepare) {
            g.prepare();
        }
        Map<String, Object> summary = g.runLoad();
        String json = Json.write(summary);
        out.println(json);
        out.flush();
        if (c.jsonFile != null) {
            Files.writeString(Path.of(c.jsonFile), json + "\n", StandardCharsets.UTF_8);
        }
        return 0;
    }

    String shardUrl(int i) {
        return c.target + "/" + c.bucket + "/" + c.prefix + String.format("shard-%05d.bin", i);
    }

    /** Creates the bucket and writes the shards (not measured). */
    private void prepare() throws IOException, InterruptedException {
        Operations.Result r;
        try {
            r = http.put(c.target + "/" + c.bucket, new byte[0], 0, 0);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot connect to " + c.target, e);
        }
        if (!r.ok()) {
            throw new IOException("creating bucket " + c.bucket + " at " + c.target + " answered " + r.status());
        }
        SplittableRandom rnd = new SplittableRandom(c.seed);
        for (int i = 0; i < c.objects; i++) {
            int size = (int) c.sizes.next(rnd);
            r = http.put(shardUrl(i), payload, 0, size);
            if (!r.ok()) {
                throw new IOException("writing " + shardUrl(i) + " answered " + r.status());
            }
        }
    }

    private Map<String, Object> runLoad() throws InterruptedException {
        epochOrder = order(0);
        long start = System.nanoTime();
        long deadline = c.durationMillis > 0 ? start + c.durationMillis * 1_000_000L : Long.MAX_VALUE;
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < c.threads; i++) {
            Worker w = new Worker(i, start, deadline);
            workers.add(w);
            w.thread.start();
        }
        for (Worker w : workers) {
            w.thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Workload, OpStats> merged = new EnumMap<>(Workload.class);
        OpStats total = new OpStats();
        for (Worker w : workers) {
            for (Map.Entry<Workload, OpStats> e : w.stats.entrySet()) {
                merged.computeIfAbsent(e.getKey(), k -> new OpStats()).add(e.getValue());
                total.add(e.getValue());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", "hotpath-loadgen");
        m.put("target", c.target);
        m.put("mode", c.rate > 0 ? "open" : "closed");
        m.put("threads", c.threads);
        m.put("rate", c.rate);
        m.put("durationSeconds", seconds);
        List<Object> ops = new ArrayList<>();
        for (Map.Entry<Workload, OpStats> e : merged.entrySet()) {
            ops.add(e.getValue().toJson(e.getKey().id(), seconds));
        }
        m.put("operations", ops);
        m.put("total", total.toJson("total", seconds));
        return m;
    }

    /** Epoch e's read order: ascending, or a permutation under --fault=random-reads. */
    private int[] order(long epoch) {
        int[] o = new int[c.objects];
        for (int i = 0; i < o.length; i++) {
            o[i] = i;
        }
        if (c.faults.contains(Fault.RANDOM_READS)) {
            SplittableRandom rnd = new SplittableRandom(c.seed * 31 + epoch);
            for (int i = o.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
        }
        return o;
    }

    private int nextSequentialShard() {
        long n = epochCursor.getAndIncrement();
        long epoch = n / c.objects;
        int[] o = epochOrder;
        if (c.faults.contains(Fault.RANDOM_READS) && n % c.objects == 0 && epoch > 0) {
            o = order(epoch);
            epochOrder = o;
        }
        return o[(int) (n % c.objects)];
    }

    private final class Worker {
        final Thread thread;
        final SplittableRandom rnd;
        final Map<Workload, OpStats> stats = new EnumMap<>(Workload.class);
        final long start;
        final long deadline;

        Worker(int id, long start, long deadline) {
            this.rnd = new SplittableRandom(c.seed * 1_000_003L + id);
            this.start = start;
            this.deadline = deadline;
            this.thread = new Thread(this::loop, "loadgen-" + id);
        }

        void loop() {
            while (true) {
                long idx = opIndex.getAndIncrement();
                if (c.ops > 0 && idx >= c.ops) {
                    return;
                }
                long begin;
                if (c.rate > 0) {
                    begin = start + (long) (idx * 1e9 / c.rate);
                    if (begin >= deadline) {
                        return;
                    }
                    long wait = begin - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                } else {
                    begin = System.nanoTime();
                    if (begin >= deadline) {
                        return;
                    }
                }
                Workload w = c.pick(rnd);
                OpStats s = stats.computeIfAbsent(w, k -> new OpStats());
                try {
                    Operations.Result r = once(w, s);
                    if (r.ok()) {
                        s.record((System.nanoTime() - begin) / 1000, r.bytes());
                    } else {
                        s.errors++;
                    }
                } catch (IOException e) {
                    s.errors++;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Operations.Result once(Workload w, OpStats s) throws IOException, InterruptedException {
            switch (w) {
                case SEQ_READ:
                    return http.get(shardUrl(nextSequentialShard()), 0, 0);
                case RANDOM_READ: {
                    String url = shardUrl(rnd.nextInt(c.objects));
                    if (c.readRange <= 0) {
                        return http.get(url, 0, 0);
                    }
                    long maxStart = Math.max(0, c.sizes.max() - c.readRange);
                    long at = maxStart == 0 ? 0 : rnd.nextLong(maxStart / 4096 + 1) * 4096;
                    return http.get(url, at, c.readRange);
                }
                case WRITE: {
                    long n = writeCounter.getAndIncrement() % c.writeKeys;
                    int size = (int) c.sizes.next(rnd);
                    return http.put(c.target + "/" + c.bucket + "/writes/obj-" + String.format("%06d", n), payload, 0, size);
                }
                default: {
                    byte[] batch = events();
                    while (true) {
                        Operations.Result r = http.post(c.ingest + "/ingest", batch);
                        if (r.status() != 503 || r.retryAfterSeconds() < 0) {
                            return r;
                        }
                        s.throttled++;
                        if (System.nanoTime() >= deadline) {
                            return r;
                        }
                        Thread.sleep(Math.min(1000L, r.retryAfterSeconds() * 1000L) / 4 + 10);
                    }
                }
            }
        }

        /** A batch of events; tenant-00 gets half of them, so its partition runs hot and splits. */
        byte[] events() {
            StringBuilder sb = new StringBuilder(c.eventsPerBatch * 96);
            long now = System.currentTimeMillis();
            for (int i = 0; i < c.eventsPerBatch; i++) {
                int tenant = rnd.nextBoolean() ? 0 : rnd.nextInt(c.tenants);
                sb.append(String.format("tenant-%02d/%08x", tenant, rnd.nextInt()))
                        .append(" seq=").append(eventSeq.incrementAndGet())
                        .append(" ts=").append(now)
                        .append(" v=").append(rnd.nextInt(1000))
                        .append(" payload=").append(Long.toHexString(rnd.nextLong())).append(Long.toHexString(rnd.nextLong()))
                        .append('\n');
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Parsed options. */
    static final class Config {
        String target;
        String ingest;
        String bucket;
        String prefix;
        int objects;
        SizeDistribution sizes;
        long readRange;
        int writeKeys;
        boolean prepare;
        int threads;
        double rate;
        long durationMillis;
        long ops;
        int eventsPerBatch;
        int tenants;
        Set<Fault> faults;
        long seed;
        String jsonFile;
        Workload[] workloads;
        int[] cumulative;

        static Config parse(Args a) {
            a.allow("target", "ingest", "workload", "bucket", "prefix", "objects", "sizes", "size", "read-range",
                    "write-keys", "prepare", "threads", "rate", "duration", "ops", "events-per-batch", "tenants",
                    "fault", "seed", "json");
            Config c = new Config();
            c.target = trimSlash(a.get("target", null));
            c.ingest = trimSlash(a.get("ingest", null));
            c.bucket = a.get("bucket", "data");
            c.prefix = a.get("prefix", "train/");
            c.objects = a.getInt("objects", 64);
            c.sizes = SizeDistribution.parse(a.get("sizes", a.get("size", "256k")));
            c.readRange = a.getBytes("read-range", 0);
            c.writeKeys = a.getInt("write-keys", 256);
            c.prepare = a.getBool("prepare");
            c.threads = a.getInt("threads", 4);
            try {
                c.rate = Double.parseDouble(a.get("rate", "0"));
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--rate expects operations per second");
            }
            c.durationMillis = a.getMillis("duration", a.has("ops") ? 0 : 10_000);
            c.ops = a.getInt("ops", 0);
            c.eventsPerBatch = a.getInt("events-per-batch", 200);
            c.tenants = a.getInt("tenants", 8);
            c.faults = Fault.parse(a.all("fault"));
            c.seed = a.getInt("seed", 1);
            c.jsonFile = a.get("json", null);
            List<String> specs = a.all("workload");
            if (specs.isEmpty()) {
                specs = List.of("seq-read");
            }
            c.workloads = new Workload[specs.size()];
            c.cumulative = new int[specs.size()];
            int total = 0;
            for (int i = 0; i < specs.size(); i++) {
                String[] sw = specs.get(i).split(":");
                c.workloads[i] = Workload.of(sw[0]);
                total += sw.length > 1 ? Integer.parseInt(sw[1].trim()) : 1;
                c.cumulative[i] = total;
            }
            for (Workload w : c.workloads) {
                if (w == Workload.INGEST && c.ingest == null) {
                    throw new Args.UsageException("the ingest workload needs --ingest=URL");
                }
                if (w != Workload.INGEST && c.target == null) {
                    throw new Args.UsageException("the " + w.id() + " workload needs --target=URL");
                }
            }
            if (c.prepare && c.target == null) {
                throw new Args.UsageException("--prepare needs --target=URL");
            }
            if (c.objects <= 0 || c.threads <= 0 || c.writeKeys <= 0 || c.tenants <= 0) {
                throw new Args.UsageException("--objects, --threads, --write-keys and --tenants must be positive");
            }
            return c;
        }

        Workload pick(SplittableRandom rnd) {
            if (workloads.length == 1) {
                return workloads[0];
            }
            int x = rnd.nextInt(cumulative[cumulative.length - 1]);
            for (int i = 0; i < cumulative.length; i++) {
                if (x < cumulative[i]) {
                    return workloads[i];
                }
            }
            return workloads[workloads.length - 1];
        }

        private static String trimSlash(String s) {
            return s == null ? null : s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
