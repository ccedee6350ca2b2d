package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.model.UnusableInputException;

import java.nio.file.Path;

/** Run in a JVM with a small -Xmx by {@link SmallHeapTest}: prints what a user would see. */
public final class HeapTooLargeProbe {
    public static void main(String[] args) throws Exception {
        try {
            HeapReport r = new HeapEngine().analyze(Path.of(args[0]));
            System.out.println("ANALYSED " + r.objects());
        } catch (UnusableInputException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }
}
