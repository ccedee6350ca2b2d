package dev.hotpath.analyzer.heap.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/** Fixture protocol: print READY and wait; a line "grow" on stdin runs the growth hook and prints READY again. */
final class Ready {
    private Ready() {
    }

    static void signalAndWait(Runnable grow) throws Exception {
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("grow") && grow != null) {
                grow.run();
                System.out.println("READY");
                System.out.flush();
            }
        }
    }
}
