package dev.hotpath.ui;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host program for the Grafana test: small writes, a force every ten writes, reads, and a failing read, in a loop
 * until killed (or 120 s at most), so that every dashboard panel has data to show.
 */
public final class IoWorkload {
    private IoWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path log = dir.resolve("segment.log");
        byte[] record = new byte[128];
        byte[] buf = new byte[4096];
        long end = System.nanoTime() + 120_000_000_000L;
        System.out.println("workload started");
        System.out.flush();
        try (FileOutputStream out = new FileOutputStream(log.toFile())) {
            int i = 0;
            while (System.nanoTime() < end) {
                out.write(record);
                if (++i % 10 == 0) {
                    out.getChannel().force(false);
                    try (FileInputStream in = new FileInputStream(log.toFile())) {
                        while (in.read(buf) > 0) {
                            // read the segment back, as a reader of the log would
                        }
                    }
                    failingRead(dir);
                    if (Files.size(log) > 1 << 20) {
                        out.getChannel().truncate(0);
                    }
                    Thread.sleep(5);
                }
            }
        }
    }

    private static void failingRead(Path dir) {
        try {
            FileInputStream in = new FileInputStream(dir.resolve("segment.log").toFile());
            in.close();
            in.read();
        } catch (IOException expected) {
            // a read on a closed stream fails: the agent counts it as an error
        }
    }
}
