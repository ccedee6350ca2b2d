package dev.hotpath.bench.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Throughput the sample gateway loses to the hotpath agent: each round starts the gateway twice on a fresh root (once
 * plain, once with {@code -javaagent}, the order alternating between rounds so that drift in the machine's load hits
 * both alike), drives each with the same closed-loop loadgen (fixed threads, workload, sizes; a short warm-up run
 * first), and takes the loadgen's total ops/s and the gateway's CPU time per operation. It prints every round, then
 * the median ratios (agent / plain) with the spread of the per-round ratios. On a machine shared with other work the
 * ops/s ratio mostly measures the other work; CPU per operation is the steadier figure.
 *
 * <pre>
 * mvn -B -q -o -pl agent,sample-apps,benchmarks -am package -DskipTests
 * cd benchmarks && java -cp target/classes dev.hotpath.bench.agent.GatewayThroughputHarness
 * </pre>
 * System properties: {@code hotpath.agent.jar} (../agent/target/hotpath-agent.jar), {@code samples.jar}
 * (../sample-apps/target/hotpath-samples.jar), {@code rounds} (6), {@code duration} (20s), {@code warmup} (20s),
 * {@code threads} (4), {@code workload} (seq-read:3,write:1), {@code sizes} (16k), {@code agentOptions} (none).
 */
public final class GatewayThroughputHarness {
    /** USER_HZ: 100 on Linux x86-64. */
    private static final double TICKS_PER_SECOND = 100;
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern TOTAL_OPS = Pattern.compile(
            "\"total\":\\{[^{}]*?\"ops\":(\\d+)[^{}]*?\"opsPerSec\":([0-9.Ee+-]+)");

    private GatewayThroughputHarness() {
    }

    public static void main(String[] args) throws Exception {
        String agent = abs(System.getProperty("hotpath.agent.jar", "../agent/target/hotpath-agent.jar"));
        String samples = abs(System.getProperty("samples.jar", "../sample-apps/target/hotpath-samples.jar"));
        int rounds = Integer.getInteger("rounds", 6);
        String agentOptions = System.getProperty("agentOptions", "");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> load = List.of("--threads=" + Integer.getInteger("threads", 4),
                "--workload=" + System.getProperty("workload", "seq-read:3,write:1"),
                "--sizes=" + System.getProperty("sizes", "16k"), "--objects=64", "--write-keys=64");
        String duration = System.getProperty("duration", "20s");
        String warmup = System.getProperty("warmup", "20s");

        List<Double> plain = new ArrayList<>();
        List<Double> withAgent = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuPlain = new ArrayList<>();
        List<Double> cpuAgent = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean agentFirst = r % 2 == 1;
            double[] a = null;
            double[] p = null;
            for (int k = 0; k < 2; k++) {
                boolean useAgent = (k == 0) == agentFirst;
                List<String> jvm = new ArrayList<>(List.of(java));
                if (useAgent) {
                    jvm.add("-javaagent:" + agent + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
                }
                double[] ops = measure(jvm, samples, load, warmup, duration);
                if (useAgent) {
                    a = ops;
                } else {
                    p = ops;
                }
            }
            plain.add(p[0]);
            withAgent.add(a[0]);
            ratios.add(a[0] / p[0]);
            cpuPlain.add(p[1]);
            cpuAgent.add(a[1]);
            cpuRatios.add(a[1] / p[1]);
            System.out.printf(Locale.ROOT, "round %d (%s first): plain %.1f ops/s %.0f us CPU/op, agent %.1f ops/s %.0f"
                    + " us CPU/op; ops/s ratio %.3f, CPU/op ratio %.3f%n", r + 1, agentFirst ? "agent" : "plain",
                    p[0], p[1], a[0], a[1], a[0] / p[0], a[1] / p[1]);
        }
        System.out.printf(Locale.ROOT, "gateway ops/s (median of %d rounds): plain %.1f, agent %.1f%n", rounds,
                median(plain), median(withAgent));
        System.out.printf(Locale.ROOT, "ratio agent/plain: median %.3f, per-round min..max %.3f..%.3f%n",
                median(ratios), Collections.min(ratios), Collections.max(ratios));
        System.out.printf(Locale.ROOT, "gateway CPU us/op (median): plain %.0f, agent %.0f; ratio agent/plain: median"
                + " %.3f, per-round min..max %.3f..%.3f%n", median(cpuPlain), median(cpuAgent), median(cpuRatios),
                Collections.min(cpuRatios), Collections.max(cpuRatios));
    }

    /**
     * One gateway JVM on a fresh root: prepare the objects, warm up, then the measured run's total ops/s and the
     * gateway's CPU time (user + system, from /proc) per operation in microseconds.
     */
    private static double[] measure(List<String> jvm, String samples, List<String> load, String warmup,
                                  String duration) throws Exception {
        Path root = Files.createTempDirectory("hotpath-gw-bench");
        List<String> cmd = new ArrayList<>(jvm);
        cmd.addAll(List.of("-Xmx512m", "-jar", samples, "gateway", "--root=" + root, "--port=0", "--threads=8",
                "--bucket=data"));
        Process gw = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(gw.getInputStream(),
                    StandardCharsets.UTF_8));
            int port = -1;
            for (String line; (line = out.readLine()) != null; ) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    break;
                }
            }
            if (port < 0) {
                throw new IllegalStateException("gateway did not start: " + cmd);
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe empty
                    }
                } catch (IOException ignored) {
                    // the gateway exited
                }
            });
            drain.setDaemon(true);
            drain.start();
            String target = "--target=http://127.0.0.1:" + port;
            loadgen(samples, target, load, "--prepare", "--duration=" + warmup);
            long cpu0 = cpuTicks(gw.pid());
            double[] run = loadgen(samples, target, load, "--duration=" + duration);
            long cpu1 = cpuTicks(gw.pid());
            return new double[] {run[1], (cpu1 - cpu0) * 1e6 / TICKS_PER_SECOND / Math.max(1, run[0])};
        } finally {
            gw.destroy();
            if (!gw.waitFor(20, TimeUnit.SECONDS)) {
                gw.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** utime + stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The loadgen's total operations and ops/s. */
    private static double[] loadgen(String samples, String target, List<String> load, String... extra)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", samples, "loadgen", target));
        cmd.addAll(load);
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("loadgen failed: " + cmd);
        }
        Matcher m = TOTAL_OPS.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no total opsPerSec in loadgen output: " + json);
        }
        return new double[] {Long.parseLong(m.group(1)), Double.parseDouble(m.group(2))};
    }

    private static String abs(String path) {
        return Paths.get(path).toAbsolutePath().normalize().toString();
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
