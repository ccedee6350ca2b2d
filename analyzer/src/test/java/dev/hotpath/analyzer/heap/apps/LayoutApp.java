package dev.hotpath.analyzer.heap.apps;

import java.util.ArrayList;
import java.util.List;

/**
 * Objects whose sizes differ between object layouts (header 8/12/16 bytes, references 4/8, alignment 8/16):
 * 1000 each of {@link Empty}, {@link Small}, {@link Point}, {@link Longs} and {@code Point[5]}. Prints READY, then waits.
 */
public final class LayoutApp {
    public static final class Empty {
    }

    public static final class Small {
        int x;
    }

    public record Point(int x, long y, Object o) {
    }

    public static final class Longs {
        long a;
        long b;
        long c;
    }

    static final List<Object> KEEP = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 1000; i++) {
            KEEP.add(new Empty());
            KEEP.add(new Small());
            KEEP.add(new Point(i, i, null));
            KEEP.add(new Longs());
            KEEP.add(new Point[5]);
        }
        Ready.signalAndWait((Runnable) null);
    }
}
