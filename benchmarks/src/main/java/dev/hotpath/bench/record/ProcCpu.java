package dev.hotpath.bench.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of processes and threads from {@code /proc} (proc(5)). Per thread: {@code task/TID/schedstat}'s first
 * field, nanoseconds on a CPU (precise; a live thread only). Per process: {@code stat}'s utime + stime (fields 14, 15:
 * every thread that ever ran, exited ones too) and cutime + cstime (16, 17: children it has waited for), in clock
 * ticks of 10 ms ({@code getconf CLK_TCK} = 100 on Linux x86-64).
 */
final class ProcCpu {
    static final long NANOS_PER_TICK = 10_000_000L;

    private ProcCpu() {
    }

    /** {utime+stime, cutime+cstime} in ns, or {0, 0} if the process is gone. */
    static long[] process(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // the comm field (2) is in parentheses and may hold spaces: count fields after its closing one
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14 → f[11]
            long self = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new long[]{self * NANOS_PER_TICK, children * NANOS_PER_TICK};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    /** Nanoseconds on a CPU per thread name (threads of the same name summed), for the live threads of {@code pid}. */
    static Map<String, Long> threads(long pid) {
        Map<String, Long> byName = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : ds) {
                try {
                    String name = Files.readString(t.resolve("comm"), StandardCharsets.US_ASCII).strip();
                    String st = Files.readString(t.resolve("schedstat"), StandardCharsets.US_ASCII);
                    long ns = Long.parseLong(st.substring(0, st.indexOf(' ')));
                    byName.merge(name, ns, Long::sum);
                } catch (IOException | RuntimeException ignored) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        return byName;
    }
}
