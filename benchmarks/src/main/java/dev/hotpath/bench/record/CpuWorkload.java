package dev.hotpath.bench.record;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A steady CPU-bound workload for RecordOverheadBench: one thread named {@value #THREAD} (its Linux task name, which
 * the bench finds in {@code /proc/PID/task}) hashing a 64 KiB buffer with SHA-256 until the JVM is stopped (SIGTERM).
 * {@code args[0]} is created once that thread runs. It allocates almost nothing, so the JVM's own threads (GC, JIT
 * once warm, VM thread) stay quiet and what record causes in them stands out.
 */
public final class CpuWorkload {
    static final String THREAD = "hp-workload";
    static volatile byte sink;

    private CpuWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Thread t = new Thread(CpuWorkload::spin, THREAD);
        t.start();
        Files.writeString(Path.of(args[0]), "");
        t.join();
    }

    private static void spin() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            byte acc = 0;
            for (int i = 0; ; i++) {
                buf[i & 0xffff] = acc;
                acc ^= md.digest(buf)[0];
                sink = acc;
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
