package dev.hotpath.analyzer.rules.gc.apps;

import java.util.HashMap;
import java.util.Map;

/**
 * A map that only grows: {@code args[0]} MB of 1 KiB values kept for good, added at an even pace over {@code args[1]}
 * seconds, with 8 KiB of short-lived garbage per kept KiB so that young collections keep sampling the heap.
 */
public final class LeakyMapApp {
    static final Map<Long, byte[]> CACHE = new HashMap<>();
    /** The garbage escapes through here, so the JIT cannot scalar-replace it away. */
    static final byte[][] RING = new byte[8][];

    private LeakyMapApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        int mb = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        long start = System.nanoTime();
        long key = 0;
        for (int m = 0; m < mb; m++) {
            for (int i = 0; i < 1024; i++) {
                CACHE.put(key++, new byte[1024]);
                for (int g = 0; g < 8; g++) {
                    RING[g] = new byte[1024];
                }
            }
            long due = start + (m + 1) * seconds * 1_000_000_000L / mb;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        System.out.println("kept " + CACHE.size() + " values");
    }
}
