package dev.hotpath.analyzer.heap.apps;

import java.util.ArrayList;
import java.util.List;

/** Leak fixture: a static list that only grows. Args: entry count (default 20000). Prints READY, then waits. */
public final class StaticCacheLeak {
    static final List<byte[]> ENTRIES = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        for (int i = 0; i < n; i++) {
            ENTRIES.add(new byte[1000]);
        }
        Ready.signalAndWait((Runnable) null);
    }
}
