package dev.hotpath.analyzer.jfr.apps;

import java.util.ArrayList;
import java.util.List;

/** Holds a live set of small objects and calls System.gc() a known number of times (args[0]). */
public final class PauseApp {
    static final List<Object[]> LIVE = new ArrayList<>();

    public static void main(String[] args) {
        int calls = Integer.parseInt(args[0]);
        for (int i = 0; i < 200_000; i++) {
            LIVE.add(new Object[] {new byte[16], Integer.valueOf(i)});
        }
        for (int i = 0; i < calls; i++) {
            System.gc();
        }
        System.out.println("live " + LIVE.size());
    }
}
