package dev.hotpath.analyzer.heap.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One static list of mixed elements: 1000 lambdas (a hidden class) each capturing an int[1000], 1000 records each
 * holding an int[10], and one enum constant. Prints READY, then waits.
 */
public final class MixedList {
    public enum Kind { A, B }

    public record Rec(int id, int[] values) {
    }

    static final List<Object> KEEP = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 1000; i++) {
            int[] captured = new int[1000];
            Supplier<int[]> s = () -> captured;
            KEEP.add(s);
        }
        for (int i = 0; i < 1000; i++) {
            KEEP.add(new Rec(i, new int[10]));
        }
        KEEP.add(Kind.B);
        Ready.signalAndWait((Runnable) null);
    }
}
