package dev.hotpath.bench.agent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The closed-loop S3 load of {@link GatewaySaturationHarness} against one gateway: N threads, each on its own
 * keep-alive connection, each issuing its next operation as soon as the last one completes. The operations are the
 * sample loadgen's ({@code seq-read} walks the shards in ascending order, shared by all threads; {@code random-read}
 * picks a shard at random; {@code write} cycles over {@code writeKeys} keys), but the mix is a fixed rotation
 * ({@code seq-read:3,write:1} is read, read, read, write, …) rather than a random draw, so that every window of either
 * gateway does the same proportions and a window's throughput does not vary with how many writes it happened to
 * draw. The cursors persist across windows. Thread-safe counters; one {@link #start}/{@link #stop} at a time.
 */
final class ClosedLoopLoad {
    enum Kind { SEQ_READ, RANDOM_READ, WRITE }

    private final String host;
    private final int port;
    private final Kind[] rotation;
    private final long[] sizes;
    private final int[] sizeCumulative;
    private final int objects;
    private final int writeKeys;
    private final byte[] payload;
    private final AtomicLong opIndex = new AtomicLong();
    private final AtomicLong seqCursor = new AtomicLong();
    private final AtomicLong writeCounter = new AtomicLong();
    /** Completed operations (2xx), over the load's whole life. */
    final LongAdder completed = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    ClosedLoopLoad(String host, int port, String workload, String sizeSpec, int objects, int writeKeys) {
        this.host = host;
        this.port = port;
        this.objects = objects;
        this.writeKeys = writeKeys;
        List<Kind> r = new ArrayList<>();
        for (String part : workload.split(",")) {
            String[] kw = part.trim().split(":");
            Kind k = switch (kw[0].trim()) {
                case "seq-read" -> Kind.SEQ_READ;
                case "random-read" -> Kind.RANDOM_READ;
                case "write" -> Kind.WRITE;
                default -> throw new IllegalArgumentException("workload: seq-read, random-read or write, got " + part);
            };
            int w = kw.length > 1 ? Integer.parseInt(kw[1].trim()) : 1;
            for (int i = 0; i < w; i++) {
                r.add(k);
            }
        }
        rotation = r.toArray(new Kind[0]);
        String[] parts = sizeSpec.split(",");
        sizes = new long[parts.length];
        sizeCumulative = new int[parts.length];
        int total = 0;
        long max = 0;
        for (int i = 0; i < parts.length; i++) {
            String[] sw = parts[i].trim().split(":");
            sizes[i] = bytes(sw[0]);
            max = Math.max(max, sizes[i]);
            total += sw.length > 1 ? Integer.parseInt(sw[1].trim()) : 1;
            sizeCumulative[i] = total;
        }
        payload = new byte[(int) max];
        new SplittableRandom(1).nextBytes(payload);
    }

    static long bytes(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long unit = t.endsWith("k") ? 1024 : t.endsWith("m") ? 1024 * 1024 : 1;
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }

    private String shard(int i) {
        return String.format(Locale.ROOT, "/data/train/shard-%05d.bin", i);
    }

    private int size(SplittableRandom rnd) {
        if (sizes.length == 1) {
            return (int) sizes[0];
        }
        int x = rnd.nextInt(sizeCumulative[sizeCumulative.length - 1]);
        for (int i = 0; i < sizes.length; i++) {
            if (x < sizeCumulative[i]) {
                return (int) sizes[i];
            }
        }
        return (int) sizes[sizes.length - 1];
    }

    /** Creates the bucket and writes the shards, like {@code loadgen --prepare}; counted as completed writes. */
    void prepare() throws IOException {
        SplittableRandom rnd = new SplittableRandom(1);
        try (KeepAliveConnection c = new KeepAliveConnection(host, port)) {
            check(c.exchange("PUT", "/data", new byte[0], 0, 0), "creating the bucket");
            for (int i = 0; i < objects; i++) {
                check(c.exchange("PUT", shard(i), payload, 0, size(rnd)), "writing " + shard(i));
                completed.increment();
                writes.increment();
            }
        }
    }

    private static void check(int status, String what) throws IOException {
        if (status / 100 != 2) {
            throw new IOException(what + " answered " + status);
        }
    }

    void start(int connections) {
        running = true;
        for (int i = 0; i < connections; i++) {
            SplittableRandom rnd = new SplittableRandom(1_000_003L * (threads.size() + 1) + opIndex.get());
            Thread t = new Thread(() -> loop(rnd), "load-" + port + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops issuing; returns when every thread finished its operation in flight and closed its connection. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
        threads.clear();
    }

    private void loop(SplittableRandom rnd) {
        try (KeepAliveConnection c = new KeepAliveConnection(host, port)) {
            while (running) {
                Kind k = rotation[(int) (opIndex.getAndIncrement() % rotation.length)];
                try {
                    int status = switch (k) {
                        case SEQ_READ -> c.exchange("GET", shard((int) (seqCursor.getAndIncrement() % objects)),
                                null, 0, 0);
                        case RANDOM_READ -> c.exchange("GET", shard(rnd.nextInt(objects)), null, 0, 0);
                        case WRITE -> c.exchange("PUT", String.format(Locale.ROOT, "/data/writes/obj-%06d",
                                writeCounter.getAndIncrement() % writeKeys), payload, 0, size(rnd));
                    };
                    if (status / 100 == 2) {
                        completed.increment();
                        (k == Kind.WRITE ? writes : reads).increment();
                    } else {
                        error(k + " answered " + status);
                    }
                } catch (IOException | RuntimeException e) {
                    error(k + ": " + e);
                }
            }
        }
    }

    private void error(String what) {
        errors.increment();
        firstError.compareAndSet(null, what);
    }
}
