package dev.hotpath.analyzer.heap.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Leak fixture: a task on a pooled thread fills a ThreadLocal and never removes it. */
public final class ThreadLocalLeak {
    static final ThreadLocal<List<long[]>> BUFFERS = new ThreadLocal<>();

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        pool.submit(() -> {
            List<long[]> list = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                list.add(new long[256]);
            }
            BUFFERS.set(list);
        }).get();
        Ready.signalAndWait((Runnable) null);
        pool.shutdown();
    }
}
