package dev.hotpath.analyzer.jfr.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A well-behaved service for {@code args[0]} ms: a fixed pool of two workers (idle between tasks, parked on the
 * queue's condition — waiting for work, not contention) computes checksums of small arrays, with short pauses, a
 * steady small cache and a little file output. Nothing here should produce a warning.
 */
public final class HealthyApp {
    public static void main(String[] args) throws Exception {
        long end = System.currentTimeMillis() + Long.parseLong(args[0]);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Path out = Files.createTempFile("healthy", ".log");
        long total = 0;
        byte[][] cache = new byte[256][];
        int n = 0;
        while (System.currentTimeMillis() < end) {
            final int seed = n++;
            Future<Long> f = pool.submit(() -> Checksum.of(seed));
            total += f.get();
            cache[seed & 255] = new byte[4096];
            if ((seed & 63) == 0) {
                Files.writeString(out, "checksum " + total + "\n");
            }
            Thread.sleep(2);
        }
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        Files.deleteIfExists(out);
        System.out.println("total " + total + " cached " + cache.length);
    }

    public static final class Checksum {
        static long of(int seed) {
            long[] data = new long[512];
            for (int i = 0; i < data.length; i++) {
                data[i] = seed * 31L + i;
            }
            long h = 0;
            for (int r = 0; r < 2000; r++) {
                for (long d : data) {
                    h = h * 1_000_003 + d;
                }
            }
            return h;
        }
    }
}
