package dev.hotpath.analyzer.jfr.apps;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs under {@code -XX:StartFlightRecording} with a preserved repository and makes JFR rotate its chunk once per
 * round (starting and stopping a second recording rotates the disk chunk), so the repository ends with one file per
 * round. Each round grows a live set by 2 MB and calls System.gc() once. Half-way it dumps the recording so far to
 * {@code args[1]} (overlapping the repository files); after the last collection it dumps the whole recording to
 * {@code args[2]}. Prints {@code systemGcs=N}.
 */
public final class RotatingApp {
    static final List<byte[]> LIVE = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        Recording main = FlightRecorder.getFlightRecorder().getRecordings().get(0);
        int calls = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 2048; i++) {
                LIVE.add(new byte[1024]);
            }
            System.gc();
            calls++;
            Thread.sleep(100);
            if (r == rounds / 2) {
                main.dump(Path.of(args[1]));
            }
            try (Recording rotate = new Recording()) {
                rotate.start();
                rotate.stop();
            }
        }
        main.dump(Path.of(args[2]));
        System.out.println("systemGcs=" + calls + " live=" + LIVE.size());
    }
}
