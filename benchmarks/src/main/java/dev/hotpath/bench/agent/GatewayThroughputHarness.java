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
 * first), and takes the loadgen's total ops/s. It prints every round, then the median ratio (agent / plain ops/s)
 * with the spread of the per-round ratios.
 *
 * <pre>
 * mvn -B -q -o -pl agent,sample-apps,benchmarks -am package -DskipTests
 * cd benchmarks && java -cp target/classes dev.hotpath.bench.agent.GatewayThroughputHarness
 * </pre>
 * System properties: {@code hotpath.agent.jar} (../agent/target/hotpath-agent.jar), {@code samples.jar}
 * (../sample-apps/target/hotpath-samples.jar), {@code rounds} (6), {@code duration} (15s), {@code warmup} (5s),
 * {@code threads} (4), {@code workload} (seq-read:3,write:1), {@code sizes} (64k), {@code agentOptions} (none).
 */
public final class GatewayThroughputHarness {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern TOTAL_OPS = Pattern.compile(
            "\"total\":\\{[^{}]*?\"opsPerSec\":([0-9.Ee+-]+)");

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
                "--sizes=" + System.getProperty("sizes", "64k"), "--objects=64", "--write-keys=64");
        String duration = System.getProperty("duration", "15s");
        String warmup = System.getProperty("warmup", "5s");

        List<Double> plain = new ArrayList<>();
        List<Double> withAgent = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean agentFirst = r % 2 == 1;
            double a = 0;
            double p = 0;
            for (int k = 0; k < 2; k++) {
                boolean useAgent = (k == 0) == agentFirst;
                List<String> jvm = new ArrayList<>(List.of(java));
                if (useAgent) {
                    jvm.add("-javaagent:" + agent + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
                }
                double ops = measure(jvm, samples, load, warmup, duration);
                if (useAgent) {
                    a = ops;
                } else {
                    p = ops;
                }
            }
            plain.add(p);
            withAgent.add(a);
            ratios.add(a / p);
            System.out.printf(Locale.ROOT, "round %d (%s first): plain %.1f ops/s, agent %.1f ops/s, ratio %.3f%n",
                    r + 1, agentFirst ? "agent" : "plain", p, a, a / p);
        }
        System.out.printf(Locale.ROOT, "gateway ops/s (median of %d rounds): plain %.1f, agent %.1f%n", rounds,
                median(plain), median(withAgent));
        System.out.printf(Locale.ROOT, "ratio agent/plain: median %.3f, per-round min..max %.3f..%.3f%n",
                median(ratios), Collections.min(ratios), Collections.max(ratios));
    }

    /** One gateway JVM on a fresh root: prepare the objects, warm up, then the measured run's total ops/s. */
    private static double measure(List<String> jvm, String samples, List<String> load, String warmup,
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
            return loadgen(samples, target, load, "--duration=" + duration);
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

    private static double loadgen(String samples, String target, List<String> load, String... extra)
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
        return Double.parseDouble(m.group(1));
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
