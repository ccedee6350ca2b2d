package dev.hotpath.bench.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the hotpath agent costs the sample gateway under load, measured so that the figure survives a shared machine.
 * Two gateways run side by side for the whole measurement (one plain, one with {@code -javaagent}, each on its own
 * fresh root, both warmed up). Many short rounds follow; in each, both gateways get the same <em>open-loop</em> load in
 * turn (a fixed offered rate — the same operations at the same moments with and without the agent — so neither side
 * can do more work by being faster), the order alternating between rounds. Per window the harness takes the gateway's
 * CPU time (user + system of the whole process, {@code /proc/PID/stat}) divided by the operations served, and the
 * loadgen's latency percentiles. It prints every round and then, over the rounds, the median of the per-round
 * agent/plain ratios with their interquartile range and min..max. The agent's gateway also runs under
 * async-profiler, and the harness finally prints the share of its CPU samples in the agent's code (of all samples,
 * and of the request threads' samples, which leaves out the JIT and GC threads of the warm-up) — the figure that
 * does not depend on what else the machine runs.
 *
 * <p>Why CPU per operation: at a fixed offered rate below saturation, throughput is the same by construction; what the
 * agent takes from a saturated gateway is its extra CPU per operation (throughput loss = 1 - 1/ratio when the
 * gateway is CPU bound). Unlike ops/s of a closed loop, CPU time charged to the gateway's own process is not what
 * other processes on the machine used, so it stays meaningful under load; interleaving short rounds spreads the
 * remaining noise (cache pollution, frequency changes) over both sides alike.
 *
 * <pre>
 * mvn -B -q -o -pl agent,sample-apps,benchmarks -am package -DskipTests
 * cd benchmarks && java -cp target/classes dev.hotpath.bench.agent.GatewayThroughputHarness
 * </pre>
 * System properties: {@code hotpath.agent.jar} (../agent/target/hotpath-agent.jar), {@code samples.jar}
 * (../sample-apps/target/hotpath-samples.jar), {@code rounds} (12), {@code window} (8s per side per round),
 * {@code warmup} (30s per gateway), {@code rate} (100 ops/s offered), {@code threads} (8 loadgen threads),
 * {@code workload} (seq-read:3,write:1), {@code sizes} (16k), {@code agentOptions} (none), {@code profile} (true),
 * {@code profileDir} (a directory to keep the collapsed profiles in).
 */
public final class GatewayThroughputHarness {
    private static final Pattern TOTAL = Pattern.compile("\"total\":\\{(.*)");
    private static final Pattern OPS = Pattern.compile("\"ops\":(\\d+)");
    private static final Pattern ERRORS = Pattern.compile("\"errors\":(\\d+)");
    private static final Pattern P50 = Pattern.compile("\"p50\":(\\d+)");
    private static final Pattern P99 = Pattern.compile("\"p99\":(\\d+)");

    private GatewayThroughputHarness() {
    }

    /** One gateway JVM, kept running for the whole measurement. */
    private static final class Gateway implements AutoCloseable {
        final GatewayLaunch launch;
        final Process process;
        final Path root;
        final String target;

        Gateway(List<String> jvm, String samples) throws Exception {
            root = Files.createTempDirectory("hotpath-gw-bench");
            List<String> cmd = new ArrayList<>(jvm);
            cmd.addAll(List.of("-Xmx512m", "-jar", samples, "gateway", "--root=" + root, "--port=0", "--threads=8",
                    "--bucket=data"));
            launch = GatewayLaunch.start(cmd, ProcessBuilder.Redirect.DISCARD);
            process = launch.process;
            int port = launch.port;
            target = "--target=http://127.0.0.1:" + port;
        }

        long cpuTicks() throws IOException {
            return ProcCpu.processTicks(process.pid());
        }

        @Override
        public void close() throws Exception {
            if (!Files.exists(root)) {
                return; // closed already
            }
            launch.stop(20);
            GatewayLaunch.deleteTree(root);
        }
    }

    /** One measured window: operations served, gateway CPU microseconds per operation, latency p50 and p99 (us). */
    private record Window(long ops, double cpuMicrosPerOp, long p50, long p99) {
    }

    public static void main(String[] args) throws Exception {
        String agent = abs(System.getProperty("hotpath.agent.jar", "../agent/target/hotpath-agent.jar"));
        String samples = abs(System.getProperty("samples.jar", "../sample-apps/target/hotpath-samples.jar"));
        int rounds = Integer.getInteger("rounds", 12);
        String agentOptions = System.getProperty("agentOptions", "");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        double rate = Double.parseDouble(System.getProperty("rate", "100"));
        List<String> load = List.of("--threads=" + Integer.getInteger("threads", 8),
                "--workload=" + System.getProperty("workload", "seq-read:3,write:1"),
                "--sizes=" + System.getProperty("sizes", "16k"), "--objects=64", "--write-keys=64");
        String window = System.getProperty("window", "8s");
        String warmup = System.getProperty("warmup", "30s");

        List<String> agentJvm = new ArrayList<>(List.of(java,
                "-javaagent:" + agent + (agentOptions.isEmpty() ? "" : "=" + agentOptions)));
        // the gateways run under async-profiler (written when they exit; the dynamic attach that could start
        // it after the warm-up is refused on this machine); the share is taken over the request threads' samples
        String profiler = System.getProperty("profile", "true").equals("false") ? null
                : AgentCpuCostHarness.profilerLibrary();
        Path collapsed = null;
        List<String> plainJvm = new ArrayList<>(List.of(java));
        if (profiler != null) {
            // both sides profiled alike, so that the profiler's own cost does not count as the agent's
            collapsed = Files.createTempFile("hotpath-gw-profile", ".collapsed");
            agentJvm.add("-agentpath:" + profiler + "=start,event=cpu,interval=1ms,collapsed,file=" + collapsed);
            plainJvm.add("-agentpath:" + profiler + "=start,event=cpu,interval=1ms,collapsed,file="
                    + collapsed + ".plain");
        }
        try (Gateway plain = new Gateway(plainJvm, samples); Gateway withAgent = new Gateway(agentJvm, samples)) {
            for (Gateway g : List.of(plain, withAgent)) {
                loadgen(samples, g.target, load, "--prepare", "--duration=" + warmup, "--rate=" + rate);
            }
            List<Double> cpuRatios = new ArrayList<>();
            List<Double> p50Ratios = new ArrayList<>();
            List<Double> p99Ratios = new ArrayList<>();
            List<Double> cpuPlain = new ArrayList<>();
            List<Double> cpuAgent = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean agentFirst = r % 2 == 1;
                Window a = null;
                Window p = null;
                for (int k = 0; k < 2; k++) {
                    boolean useAgent = (k == 0) == agentFirst;
                    Window w = measure(useAgent ? withAgent : plain, samples, load, window, rate);
                    if (useAgent) {
                        a = w;
                    } else {
                        p = w;
                    }
                }
                cpuPlain.add(p.cpuMicrosPerOp);
                cpuAgent.add(a.cpuMicrosPerOp);
                cpuRatios.add(a.cpuMicrosPerOp / p.cpuMicrosPerOp);
                p50Ratios.add(a.p50 / (double) p.p50);
                p99Ratios.add(a.p99 / (double) p.p99);
                System.out.printf(Locale.ROOT, "round %2d (%s first): plain %d ops %.0f us CPU/op p50 %d us p99 %d us"
                        + " | agent %d ops %.0f us CPU/op p50 %d us p99 %d us | CPU/op ratio %.3f%n", r + 1,
                        agentFirst ? "agent" : "plain", p.ops, p.cpuMicrosPerOp, p.p50, p.p99, a.ops,
                        a.cpuMicrosPerOp, a.p50, a.p99, a.cpuMicrosPerOp / p.cpuMicrosPerOp);
            }
            System.out.printf(Locale.ROOT, "offered %.0f ops/s, %d rounds of %s per side; gateway CPU us/op (median):"
                    + " plain %.0f, agent %.0f%n", rate, rounds, window, median(cpuPlain), median(cpuAgent));
            summary("CPU per op, agent/plain", cpuRatios);
            summary("latency p50, agent/plain", p50Ratios);
            summary("latency p99, agent/plain", p99Ratios);
            double m = median(cpuRatios);
            System.out.printf(Locale.ROOT, "throughput of a CPU-bound gateway, agent/plain: %.3f (1 / median CPU"
                    + " ratio)%n", 1 / m);
            if (collapsed != null) {
                withAgent.close(); // the profiler writes its samples at exit
                double[] share = agentShare(collapsed);
                System.out.printf(Locale.ROOT, "CPU samples in agent code, agent's gateway (warm-up included): %.2f%%"
                        + " of all (%d samples), %.2f%% of request threads' (%d samples)%n", 100 * share[0],
                        (long) share[2], 100 * share[1], (long) share[3]);
                CollapsedStacks.keep(collapsed, "gateway-agent.collapsed");
                Files.deleteIfExists(collapsed);
                plain.close();
                CollapsedStacks.keep(Paths.get(collapsed + ".plain"), "gateway-plain.collapsed");
                Files.deleteIfExists(Paths.get(collapsed + ".plain"));
            }
        }
    }

    /**
     * The agent's share of the gateway's CPU samples: of all (JIT and GC threads included) and of the request
     * threads' (stacks rooted in Thread.run that are not JVM service threads). Load-independent, unlike any ratio
     * between two processes: it is the CPU a saturated gateway would get back without the agent.
     */
    private static double[] agentShare(Path collapsed) throws IOException {
        long[] t = new long[4]; // all samples, in agent code; request threads' samples, in agent code
        CollapsedStacks.forEach(collapsed, (stack, n) -> {
            boolean inAgent = stack.contains("dev/hotpath/agent/");
            t[0] += n;
            t[1] += inAgent ? n : 0;
            if (stack.startsWith("java/lang/Thread.run") && !stack.contains("hotpath/agent/export")) {
                t[2] += n;
                t[3] += inAgent ? n : 0;
            }
        });
        return new double[] {t[1] / (double) Math.max(1, t[0]), t[3] / (double) Math.max(1, t[2]), t[0], t[2]};
    }

    private static void summary(String what, List<Double> ratios) {
        List<Double> s = new ArrayList<>(ratios);
        Collections.sort(s);
        System.out.printf(Locale.ROOT, "%-26s median %.3f, interquartile %.3f..%.3f, min..max %.3f..%.3f%n", what,
                median(s), quantile(s, 0.25), quantile(s, 0.75), s.get(0), s.get(s.size() - 1));
    }

    private static Window measure(Gateway g, String samples, List<String> load, String window, double rate)
            throws Exception {
        long cpu0 = g.cpuTicks();
        String json = loadgen(samples, g.target, load, "--duration=" + window, "--rate=" + rate);
        long cpu1 = g.cpuTicks();
        Matcher t = TOTAL.matcher(json);
        if (!t.find()) {
            throw new IllegalStateException("no total in loadgen output: " + json);
        }
        String total = t.group(1);
        long ops = Long.parseLong(find(OPS, total));
        long errors = Long.parseLong(find(ERRORS, total));
        if (errors > 0 || ops == 0) {
            throw new IllegalStateException(errors + " errors, " + ops + " ops in a window: " + json);
        }
        return new Window(ops, (cpu1 - cpu0) * 1e6 / ProcCpu.TICKS_PER_SECOND / ops, Long.parseLong(find(P50, total)),
                Long.parseLong(find(P99, total)));
    }

    private static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            throw new IllegalStateException(p + " not in " + s);
        }
        return m.group(1);
    }

    /** Runs the loadgen to completion; its JSON report. */
    private static String loadgen(String samples, String target, List<String> load, String... extra)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-jar", samples, "loadgen", target));
        cmd.addAll(load);
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("loadgen failed: " + cmd);
        }
        return json;
    }

    private static String abs(String path) {
        return Paths.get(path).toAbsolutePath().normalize().toString();
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return quantile(s, 0.5);
    }

    /** Linear interpolation between the closest ranks of a sorted list. */
    private static double quantile(List<Double> sorted, double q) {
        double pos = q * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.size() - 1);
        return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
    }
}
