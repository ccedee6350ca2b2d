package dev.hotpath.bench.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** CPU time of processes and cores from Linux's /proc, for the gateway harnesses. */
final class ProcCpu {
    /** USER_HZ: 100 on Linux x86-64. */
    static final double TICKS_PER_SECOND = 100;

    private ProcCpu() {
    }

    /** utime + stime of a whole process in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    static long processTicks(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Per CPU n: busy ticks at [2n], all ticks at [2n+1], from the {@code cpuN} lines of /proc/stat. */
    static long[] coreTicks() throws IOException {
        List<Long> out = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get("/proc/stat"))) {
            if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user … steal; guest time is inside user
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            out.add(total - idle);
            out.add(total);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The share of a CPU's time that was busy between two {@link #coreTicks()} readings; NaN when unpinned. */
    static double busy(long[] a, long[] b, int cpu) {
        if (cpu < 0 || 2 * cpu + 1 >= a.length) {
            return Double.NaN;
        }
        long total = b[2 * cpu + 1] - a[2 * cpu + 1];
        return total == 0 ? 0 : (b[2 * cpu] - a[2 * cpu]) / (double) total;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
