package dev.hotpath.analyzer.gclog;

import java.util.ArrayList;
import java.util.List;

/**
 * Allocates garbage continuously (many young collections) while a retained list grows by 64 KB every 10 ms up to
 * 24 MB (a rising heap-after-GC floor), for {@code args[0]} milliseconds. Prints {@code retained=N}.
 */
public final class GrowingHeapApp {
    static final List<byte[]> RETAINED = new ArrayList<>();
    static volatile byte[] sink;

    public static void main(String[] args) {
        long end = System.currentTimeMillis() + Long.parseLong(args[0]);
        long nextGrow = System.currentTimeMillis();
        while (System.currentTimeMillis() < end) {
            for (int i = 0; i < 256; i++) {
                sink = new byte[4096];
            }
            if (System.currentTimeMillis() >= nextGrow && RETAINED.size() < 384) {
                RETAINED.add(new byte[64 * 1024]);
                nextGrow += 10;
            }
        }
        System.out.println("retained=" + RETAINED.size());
    }
}
