package dev.hotpath.bench.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AgentCpuCostHarness}'s second meter ({@code -Dmeter=perf}): the child JVMs run under Linux {@code perf record}
 * (software event {@code cpu-clock}, which needs no hardware counters, every 50 µs of CPU; timestamps on
 * {@code CLOCK_MONOTONIC}, the clock of {@code System.nanoTime}), and each sample is attributed by the symbol its PC
 * lies in: a compiled method as the JVM's perf map names it ({@code -XX:+DumpPerfMapAtExit}), libc, the kernel. Nothing
 * depends on the JVM's debug information, so unlike async-profiler's frames this cannot put the JDK's instructions in
 * the agent's inlined advice or the reverse; the price is that inlined code is not told apart. So a loop's figure is
 * the share of its thread's samples, inside its measured window, in compiled Java code (the loop, the JDK's Java code
 * it runs, the advice inlined there, the agent's own methods) and in clock reads; the kernel's, libc's and the JVM's
 * native code are the rest. Without the agent the same set is the JDK's and the loop's Java code alone, so the
 * agent's share of an agent run is {@code (a - p) / (1 - p)}, {@code p} the share in the same round's run without the
 * agent. Where the JDK's Java code is a large part of the loop (~18% of the 4 KiB read), {@code p} moves between JVMs
 * and the figure is noisy; the median over rounds is the figure.
 */
final class PerfMeter {
    private PerfMeter() {
    }

    /** Whether {@code perf} runs here. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("perf", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code javaCmd} (the java binary first) under {@code perf record} into {@code data}, with the JVM's perf map. */
    static List<String> command(Path data, List<String> javaCmd) {
        List<String> c = new ArrayList<>(List.of("perf", "record", "-q", "-e", "cpu-clock", "-c", "50000", "-k",
                "CLOCK_MONOTONIC", "-o", data.toString(), "--", javaCmd.get(0), "-XX:+UnlockDiagnosticVMOptions",
                "-XX:+DumpPerfMapAtExit"));
        c.addAll(javaCmd.subList(1, javaCmd.size()));
        return c;
    }

    /**
     * The write loop's and the read loop's shares of samples in the advice-holding code (see the class comment), from
     * {@code data} and the child's line {@code fields}: {@code write read pid tid w0 w1 r0 r1}, the windows in
     * nanoTime. Deletes {@code data} and the JVM's perf map.
     */
    static double[] shares(Path data, String[] fields) throws IOException, InterruptedException {
        String pid = fields[2];
        String tid = fields[3];
        long w0 = Long.parseLong(fields[4]);
        long w1 = Long.parseLong(fields[5]);
        long r0 = Long.parseLong(fields[6]);
        long r1 = Long.parseLong(fields[7]);
        long[] total = new long[2];
        long[] hit = new long[2];
        Process p = new ProcessBuilder("perf", "script", "-i", data.toString(), "-F", "tid,time,ip,sym", "--ns")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String s = line.trim();
                int a = s.indexOf(' ');
                if (a < 0 || !s.substring(0, a).equals(tid)) {
                    continue;
                }
                String rest = s.substring(a).trim();
                int b = rest.indexOf(':');
                if (b < 0) {
                    continue;
                }
                long t = nanos(rest.substring(0, b));
                String ipSym = rest.substring(b + 1).trim(); // the PC, then its symbol
                int c = ipSym.indexOf(' ');
                String sym = c < 0 ? "" : ipSym.substring(c + 1).trim();
                int k = t >= w0 && t <= w1 ? 0 : t >= r0 && t <= r1 ? 1 : -1;
                if (k < 0) {
                    continue;
                }
                total[k]++;
                if (holdsAdvice(sym)) {
                    hit[k]++;
                }
            }
        }
        p.waitFor();
        Files.deleteIfExists(data);
        Files.deleteIfExists(Paths.get("/tmp/perf-" + pid + ".map"));
        return new double[] {hit[0] / (double) Math.max(1, total[0]), hit[1] / (double) Math.max(1, total[1])};
    }

    /** {@code seconds.nanoseconds} as printed by {@code perf script --ns}. */
    private static long nanos(String secondsDotNanos) {
        int dot = secondsDotNanos.indexOf('.');
        long sec = Long.parseLong(secondsDotNanos.substring(0, dot));
        String frac = (secondsDotNanos.substring(dot + 1) + "000000000").substring(0, 9);
        return sec * 1_000_000_000L + Long.parseLong(frac);
    }

    /**
     * Compiled Java code as the JVM's perf map names it ({@code <type> <class>.<method>(<args>)}), or a clock read:
     * all the Java code of the loop's thread, so that what the JIT inlines where (the advice makes the instrumented
     * method larger, and it may inline less of its callees) does not move code in or out of the set.
     */
    private static boolean holdsAdvice(String sym) {
        if (sym.contains("clock_gettime") || sym.contains("javaTimeNanos")) {
            return true;
        }
        int paren = sym.indexOf('(');
        int space = sym.indexOf(' ');
        return paren > 0 && space > 0 && space < paren && !sym.contains("::")
                && sym.lastIndexOf('.', paren) > space;
    }
}
