package dev.hotpath.analyzer.heap.apps;

import java.util.ArrayList;
import java.util.List;

/** Waste fixture: 4000 equal strings with their own arrays, 500 cleared lists, 3000 boxed Longs, 200 sparse arrays. */
public final class WasteApp {
    static final List<Object> KEEP = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 4000; i++) {
            KEEP.add(new StringBuilder("duplicate-value").toString());
        }
        for (int i = 0; i < 500; i++) {
            List<Object> l = new ArrayList<>(40);
            l.add("x");
            l.clear();
            KEEP.add(l);
        }
        for (int i = 0; i < 3000; i++) {
            KEEP.add(Long.valueOf(1_000_000L + i));
        }
        for (int i = 0; i < 200; i++) {
            Object[] sparse = new Object[100];
            sparse[0] = KEEP;
            KEEP.add(sparse);
        }
        Ready.signalAndWait((Runnable) null);
    }
}
