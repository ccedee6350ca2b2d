package dev.hotpath.analyzer.heap;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Ad-hoc: java SmokeMain dump.hprof [baseline.hprof] */
final class SmokeMain {
    public static void main(String[] a) throws Exception {
        long t0 = System.nanoTime();
        HeapReport r = new HeapEngine().top(10).analyze(Path.of(a[0]), a.length > 1 ? Path.of(a[1]) : null);
        HeapText.print(r, new PrintWriter(System.out));
        System.out.println("ms " + (System.nanoTime() - t0) / 1_000_000);
    }
}
