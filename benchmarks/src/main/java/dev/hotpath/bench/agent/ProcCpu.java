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

    /**
     * CPU time of a whole process in nanoseconds: the sum over its live threads of the first field of
     * {@code /proc/PID/task/TID/schedstat} (time on a CPU, kept by the scheduler to the nanosecond), or -1 when the
     * kernel keeps no such file. {@link #processTicks} is charged per 10 ms tick to whichever thread the tick
     * interrupts, a sampling error of several percent per second when two processes share a core; this is exact.
     * A thread that exits between two readings takes its time with it (a gateway's threads live as long as it).
     */
    static long processNanos(long pid) throws IOException {
        long sum = 0;
        try (var tasks = Files.newDirectoryStream(Paths.get("/proc", Long.toString(pid), "task"))) {
            for (var task : tasks) {
                String s;
                try {
                    s = Files.readString(task.resolve("schedstat"));
                } catch (java.nio.file.NoSuchFileException e) {
                    if (!Files.exists(task)) {
                        continue; // the thread exited meanwhile
                    }
                    return -1;
                }
                int sp = s.indexOf(' ');
                sum += Long.parseLong(sp < 0 ? s.trim() : s.substring(0, sp));
            }
        }
        return sum;
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
