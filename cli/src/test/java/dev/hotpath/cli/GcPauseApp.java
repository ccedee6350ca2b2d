package dev.hotpath.cli;

import java.util.ArrayList;
import java.util.List;

/** A JVM with a large live set of small objects that calls System.gc() {@code args[0]} times. */
public final class GcPauseApp {
    static final List<Object[]> LIVE = new ArrayList<>();

    public static void main(String[] args) {
        for (int i = 0; i < 200_000; i++) {
            LIVE.add(new Object[]{new byte[32], Integer.toString(i)});
        }
        int calls = Integer.parseInt(args[0]);
        for (int i = 0; i < calls; i++) {
            System.gc();
        }
        System.out.println("live " + LIVE.size());
    }
}
