package dev.hotpath.bench.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The CPU that {@code hotpath record}'s own sampling costs (RSS/PSS timeline every second, an NMT summary and
 * summary.diff every {@code --nmt-interval}, bookkeeping), measured directly rather than as a difference of two
 * workload totals (a workload's own CPU varies by a few percent from run to run, more than the cost looked for).
 *
 * <p>Each round starts one JVM with a steady one-thread CPU workload (CpuWorkload) and NMT on (tracking is the chosen
 * evidence's cost, not record's), and reads {@code /proc} over windows of equal length: a baseline window, then for
 * each variant a window while a real {@code hotpath record --pid PID --nmt} process samples it (after its second NMT
 * sample and 3 s more), then a baseline window after record has ended. Record is charged with:
 * <ul>
 *   <li>every thread of the record JVM (utime+stime of the process: its samplers, JIT, GC);</li>
 *   <li>every process record started (a {@code jcmd} per request in the jcmd variant): cutime+cstime of the ones it
 *   reaped plus the CPU of those still running;</li>
 *   <li>the target's {@code Attach Listener} thread, which executes the diagnostic commands (NMT summaries);</li>
 *   <li>the target's other threads except the workload's (VM thread, GC, JIT, the JMX agent's threads in the jmx
 *   variant), in excess of the same threads in the baseline windows just before and after (their mean): the same
 *   JVM, so no run-to-run variation.</li>
 * </ul>
 * All as CPU per second of wall time, reported as a share of the workload thread's CPU in the same window; the
 * median and spread over the rounds. The sampling measured is JvmSampling, the same code for a JVM record launches;
 * the record JVM's start-up and its attach happen before the window and are reported apart.
 *
 * <p>Variants: {@code attach} (default: the attach protocol's jcmd request in-process), {@code jcmd} (a {@code jcmd}
 * process per request, {@code -Dhotpath.record.attach=jcmd}: what record would cost without in-process attach),
 * {@code jmx} (the record JVM without {@code --add-exports jdk.attach/sun.tools.attach}: the DiagnosticCommand MBean
 * over the target's local JMX agent, which then stays running in the target; run it last).
 *
 * <p>Run: {@code mvn -B -q -o -pl benchmarks -am package -DskipTests && java -cp
 * "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.hotpath.bench.record.RecordOverheadBench
 * [rounds=5] [windowSeconds=20] [nmtInterval=5s] [variants=attach,jcmd]}
 */
public final class RecordOverheadBench {
    private static final long WARMUP_MILLIS = 8_000;
    private static final String ATTACH_THREAD = "Attach Listener";

    private RecordOverheadBench() {
    }

    /** CPU of everything at one moment: ns. */
    private record Snapshot(long nanoTime, long recordSelf, long recordChildren, Map<String, Long> target,
                            Map<String, Long> record) {
        static Snapshot of(Process rec, long target) {
            long[] r = rec == null ? new long[2] : ProcCpu.process(rec.pid());
            return new Snapshot(System.nanoTime(), r[0], rec == null ? 0 : r[1] + otherChildren(rec.toHandle(), target),
                    ProcCpu.threads(target), rec == null ? Map.of() : ProcCpu.threads(rec.pid()));
        }
    }

    /** The record JVM's busiest threads in the window, "name ms/s", to see where its own CPU goes. */
    private static String busiest(Snapshot a, Snapshot b) {
        double secs = (b.nanoTime() - a.nanoTime()) / 1e9;
        List<Map.Entry<String, Long>> d = new ArrayList<>();
        for (Map.Entry<String, Long> e : b.record().entrySet()) {
            d.add(Map.entry(e.getKey(), e.getValue() - a.record().getOrDefault(e.getKey(), 0L)));
        }
        d.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : d.subList(0, Math.min(5, d.size()))) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(String.format(" %.2f", e.getValue() / secs / 1e6));
        }
        return sb.toString();
    }

    /** Per-second CPU of each target thread name between two snapshots. */
    private static Map<String, Double> rates(Snapshot a, Snapshot b) {
        double secs = (b.nanoTime() - a.nanoTime()) / 1e9;
        Map<String, Double> r = new HashMap<>();
        for (Map.Entry<String, Long> e : b.target().entrySet()) {
            r.put(e.getKey(), (e.getValue() - a.target().getOrDefault(e.getKey(), 0L)) / secs);
        }
        return r;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int windowSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String nmtInterval = args.length > 2 ? args[2] : "5s";
        List<String> variants = List.of((args.length > 3 ? args[3] : "attach,jcmd").split(","));
        Path work = Files.createTempDirectory("hotpath-bench-record");
        System.out.printf("record --pid --nmt overhead: one SHA-256 thread, windows of %d s, NMT every %s, RSS every "
                + "1 s, %d rounds; load average %s%n", windowSeconds, nmtInterval, rounds, loadAverage());
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            Path dir = Files.createDirectories(work.resolve("round-" + r));
            Path started = dir.resolve("started");
            Process app = new ProcessBuilder(workload(started)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("workload.log").toFile()).start();
            try {
                awaitFile(started, app, 120_000);
                Thread.sleep(WARMUP_MILLIS);
                Map<String, Double> before = baseline(null, app.pid(), windowSeconds);
                for (String v : variants) {
                    double[] w = recorded(dir.resolve(v), v, app.pid(), windowSeconds, nmtInterval, before);
                    before = baseline(null, app.pid(), windowSeconds);
                    // the "other threads" excess against the mean of the windows before and after (see recorded)
                    w[5] = w[5] - (w[8] + otherThreads(before)) / 2;
                    w[1] = w[2] + w[3] + w[4] + w[5];
                    w[0] = w[1] / w[9];
                    results.computeIfAbsent(v, k -> new ArrayList<>()).add(w);
                    System.out.printf("round %d %-6s: workload %.0f ms/s | record JVM %.2f + its children %.2f + "
                                    + "target Attach Listener %.2f + target other threads %+.2f = %.2f ms/s = %.2f%% "
                                    + "of the workload (%d NMT samples in the window; set-up before it %.2f s CPU)%n",
                            r + 1, v, w[9] / 1e6, w[2] / 1e6, w[3] / 1e6, w[4] / 1e6, w[5] / 1e6, w[1] / 1e6,
                            w[0] * 100, (int) w[7], w[6] / 1e9);
                }
            } finally {
                app.destroyForcibly();
                app.waitFor(30, TimeUnit.SECONDS);
            }
        }
        System.out.printf("load average at the end %s%n", loadAverage());
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            List<double[]> rs = e.getValue();
            System.out.printf("%-6s: record's cost %.2f%% of the workload's CPU (median of %d; min %.2f%%, max %.2f%%) "
                            + "= %.2f CPU-ms per s: record JVM %.2f, children %.2f, Attach Listener %.2f, other "
                            + "target threads %+.2f; set-up before the window %.2f s CPU%n",
                    e.getKey(), median(rs, 0) * 100, rs.size(), min(rs, 0) * 100, max(rs, 0) * 100, median(rs, 1) / 1e6,
                    median(rs, 2) / 1e6, median(rs, 3) / 1e6, median(rs, 4) / 1e6, median(rs, 5) / 1e6,
                    median(rs, 6) / 1e9);
        }
    }

    private static List<String> workload(Path started) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(CpuWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        return List.of(java, "-XX:NativeMemoryTracking=summary", "-Xmx256m", "-cp", cp, CpuWorkload.class.getName(),
                started.toString());
    }

    /** One window without record: per-second CPU of each target thread. */
    private static Map<String, Double> baseline(Process rec, long pid, int windowSeconds) throws InterruptedException {
        Snapshot a = Snapshot.of(rec, pid);
        Thread.sleep(windowSeconds * 1000L);
        return rates(a, Snapshot.of(rec, pid));
    }

    /** The target's threads other than the workload's and the Attach Listener, summed. */
    private static double otherThreads(Map<String, Double> rates) {
        double sum = 0;
        for (Map.Entry<String, Double> e : rates.entrySet()) {
            if (!e.getKey().equals(CpuWorkload.THREAD) && !e.getKey().equals(ATTACH_THREAD)) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /**
     * One window under {@code hotpath record --pid}. Returns per-second CPU in ns: [0 share, 1 cost, 2 record JVM,
     * 3 its children, 4 Attach Listener, 5 target's other threads (the caller subtracts the baseline), 6 CPU before
     * the window (ns, not per second), 7 NMT samples in the window, 8 the baseline before, 9 the workload thread].
     */
    private static double[] recorded(Path dir, String variant, long pid, int windowSeconds, String nmtInterval,
                                     Map<String, Double> before) throws Exception {
        Files.createDirectories(dir);
        Path run = dir.resolve("run");
        // the record JVM as the launcher starts it (-Xmx1g; the jar's manifest carries the --add-exports)
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        if (!variant.equals("jmx")) {
            cmd.addAll(List.of("--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED"));
        }
        if (variant.equals("jcmd")) {
            cmd.add("-Dhotpath.record.attach=jcmd");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.hotpath.cli.HotpathCommand", "record",
                "--pid", Long.toString(pid), "--out", run.toString(), "--nmt", "--nmt-interval", nmtInterval,
                "--duration", "1h", "--no-progress"));
        Process rec = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("record.log").toFile())
                .start();
        try {
            awaitFile(run.resolve("nmt/summary-0002.txt"), rec, 120_000);
            Thread.sleep(3_000);
            Snapshot a = Snapshot.of(rec, pid);
            int n0 = nmtSamples(run);
            Thread.sleep(windowSeconds * 1000L);
            Snapshot b = Snapshot.of(rec, pid);
            int n1 = nmtSamples(run);
            double secs = (b.nanoTime() - a.nanoTime()) / 1e9;
            Map<String, Double> rates = rates(a, b);
            System.out.printf("  %s: record JVM's busiest threads (ms/s): %s%n", variant, busiest(a, b));
            rec.destroy(); // SIGTERM: record's shutdown hook ends the recording and writes the run directory
            if (!rec.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("record did not finish; see " + dir.resolve("record.log"));
            }
            String manifest = Files.readString(run.resolve("manifest.json"));
            if (!manifest.contains("\"targetAlive\" : true")) {
                throw new IllegalStateException("the target did not survive record: " + manifest);
            }
            if (!manifest.contains("\"notes\" : [ ]")) {
                System.out.println("  " + variant + ": record's notes: "
                        + manifest.replaceAll("(?s).*\"notes\" : (\\[[^]]*]).*", "$1").replaceAll("\\s+", " "));
            }
            return new double[]{0, 0, (b.recordSelf() - a.recordSelf()) / secs,
                    (b.recordChildren() - a.recordChildren()) / secs, rates.getOrDefault(ATTACH_THREAD, 0.0),
                    otherThreads(rates), a.recordSelf() + a.recordChildren(), n1 - n0, otherThreads(before),
                    rates.getOrDefault(CpuWorkload.THREAD, 0.0)};
        } finally {
            rec.destroyForcibly();
        }
    }

    /** CPU of the processes under record other than the workload (jcmd processes still running), in ns. */
    private static long otherChildren(ProcessHandle rec, long workload) {
        long ns = 0;
        for (ProcessHandle h : rec.descendants().toList()) {
            if (h.pid() != workload) {
                long[] c = ProcCpu.process(h.pid());
                ns += c[0] + c[1];
            }
        }
        return ns;
    }

    private static int nmtSamples(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve("nmt"))) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith("summary-")).count();
        }
    }

    private static void awaitFile(Path file, Process p, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!Files.exists(file)) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(file + " did not appear (process " + p.pid() + " alive: " + p.isAlive() + ")");
            }
            Thread.sleep(100);
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double[] column(List<double[]> rows, int i) {
        double[] c = new double[rows.size()];
        for (int k = 0; k < c.length; k++) {
            c[k] = rows.get(k)[i];
        }
        Arrays.sort(c);
        return c;
    }

    private static double median(List<double[]> rows, int i) {
        double[] c = column(rows, i);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static double min(List<double[]> rows, int i) {
        return column(rows, i)[0];
    }

    private static double max(List<double[]> rows, int i) {
        double[] c = column(rows, i);
        return c[c.length - 1];
    }
}
