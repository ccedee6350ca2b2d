package dev.hotpath.bench.jfr;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's workload: small file reads and writes as fast as possible for {@code args[0]} seconds, recorded
 * with every file operation at a 0 ms threshold, so the recording is dense (millions of events with stacks) — the
 * kind of recording on which the readers' cost shows.
 */
public final class DenseRecordingApp {
    public static void main(String[] args) throws Exception {
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        Path f = Files.createTempFile("dense", ".dat");
        byte[] buf = new byte[128];
        long ops = 0;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    raf.seek((i * 4096L) & 0xFFFFF);
                    raf.write(buf);
                    raf.seek((i * 8192L) & 0xFFFFF);
                    raf.read(buf);
                    ops += 2;
                }
            }
        } finally {
            Files.deleteIfExists(f);
        }
        System.out.println("ops=" + ops);
    }
}
