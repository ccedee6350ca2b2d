package dev.hotpath.analyzer.heap.apps;

import java.util.ArrayList;
import java.util.List;

/** 600,000 tiny arrays in one static list: a dump whose index (≈ 14 bytes per object, 4 per reference, plus the JVM) needs more than 20 MB of Java heap. */
public final class ManyObjects {
    static final List<int[]> KEEP = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 600_000; i++) {
            KEEP.add(new int[] {i});
        }
        Ready.signalAndWait((Runnable) null);
    }
}
