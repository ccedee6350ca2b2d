package dev.hotpath.analyzer.jfr.apps;

import jdk.jfr.Recording;

/**
 * {@link FaultyApp} whose recording rotates its chunk every {@code args[1]} milliseconds (starting and stopping a
 * second recording rotates the disk chunk), so that a short run's recording holds many chunks, as a long one does.
 */
public final class ChunkedFaultyApp {
    public static void main(String[] args) throws Exception {
        long every = Long.parseLong(args[1]);
        Thread rotator = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(every);
                    try (Recording rotate = new Recording()) {
                        rotate.start();
                        rotate.stop();
                    }
                }
            } catch (InterruptedException stop) {
                // the program is ending
            }
        }, "chunk-rotator");
        rotator.setDaemon(true);
        rotator.start();
        FaultyApp.main(new String[] {args[0]});
        rotator.interrupt();
    }
}
