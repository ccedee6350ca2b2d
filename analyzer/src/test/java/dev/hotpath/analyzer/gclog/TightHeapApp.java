package dev.hotpath.analyzer.gclog;

import java.util.Random;

/**
 * Keeps a table of {@code args[1]} MB of 1 KB arrays alive and replaces random entries, {@code args[2]} per
 * millisecond (0: as fast as it can), for {@code args[0]} milliseconds: a live set that fills most of a small heap while the old generation keeps turning
 * into garbage, so a concurrent collector has to mark over and over to reclaim it. Prints {@code replaced=N}.
 */
public final class TightHeapApp {
    public static void main(String[] args) {
        long end = System.currentTimeMillis() + Long.parseLong(args[0]);
        byte[][] table = new byte[Integer.parseInt(args[1]) * 1024][];
        for (int i = 0; i < table.length; i++) {
            table[i] = new byte[1024];
        }
        Random random = new Random(42);
        int perMs = Integer.parseInt(args[2]);
        long start = System.nanoTime();
        long replaced = 0;
        while (System.currentTimeMillis() < end) {
            for (int i = 0; i < 1024; i++) {
                table[random.nextInt(table.length)] = new byte[1024];
            }
            replaced += 1024;
            while (perMs > 0 && replaced > (System.nanoTime() - start) / 1_000_000 * perMs) {
                Thread.onSpinWait();
            }
        }
        System.out.println("replaced=" + replaced);
    }
}
