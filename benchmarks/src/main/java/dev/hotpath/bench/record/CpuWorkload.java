package dev.hotpath.bench.record;

import java.lang.management.ManagementFactory;
import java.security.MessageDigest;

/**
 * A fixed amount of CPU work (SHA-256 over a 64 KiB buffer, {@code args[0]} times), then prints
 * {@code cpuNanos=N} — the JVM's own process CPU time, read before it exits — and exits 0.
 */
public final class CpuWorkload {
    private CpuWorkload() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        byte acc = 0;
        for (int i = 0; i < rounds; i++) {
            buf[i & 0xffff] = acc;
            acc ^= md.digest(buf)[0];
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("cpuNanos=" + os.getProcessCpuTime() + " acc=" + acc);
    }
}
