package dev.hotpath.bench.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The agent's cost on the per-request pattern of a service that opens a file per request (the sample gateway's GET):
 * open a 16 KiB file with {@code FileChannel.open}, read it with one positional read, close it. Each iteration is a
 * new stream, so with the agent each one needs its call site: from the call-site tag, or with {@code tags=false} from
 * a stack walk. Child JVMs run the loop without the agent, with {@code tags=false} and with the agent as shipped, in
 * interleaved rounds; each reports the calling thread's CPU time per iteration (ThreadMXBean) after a warm-up, which,
 * unlike JMH's wall time, other processes on a shared machine do not inflate. Prints the medians and the per-round
 * ratios against that round's run without agent.
 *
 * <pre>
 * cd benchmarks && java -Drounds=5 -Dops=20000 -cp target/classes dev.hotpath.bench.agent.OpenReadCloseCpuHarness
 * </pre>
 * System properties: {@code hotpath.agent.jar} (../agent/target/hotpath-agent.jar; several, comma-separated,
 * compare builds in one run: each gets an "agent" run per round, the {@code tags=false} run uses the last),
 * {@code rounds} (5), {@code ops} (20000 measured iterations per run, after as many warm-up ones), {@code profile}
 * (false; true: every run under async-profiler, CPU samples every 200 us, and the share of the loop's samples in
 * agent code is printed: unlike the CPU-time ratio, other processes on a loaded machine hardly move it; warm-up
 * included), {@code profileDir} (keeps the collapsed profiles).
 */
public final class OpenReadCloseCpuHarness {
    private static final int SIZE = 16 * 1024;

    private OpenReadCloseCpuHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            System.out.println("ns=" + child(Paths.get(args[1]), Integer.parseInt(args[2])));
            return;
        }
        String[] jars = System.getProperty("hotpath.agent.jar", "../agent/target/hotpath-agent.jar").split(",");
        for (int j = 0; j < jars.length; j++) {
            jars[j] = Paths.get(jars[j]).toAbsolutePath().normalize().toString();
        }
        String profiler = System.getProperty("profile", "false").equals("true")
                ? AgentCpuCostHarness.profilerLibrary() : null;
        int rounds = Integer.getInteger("rounds", 5);
        int ops = Integer.getInteger("ops", 20_000);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Path dir = Files.createTempDirectory("hotpath-orc");
        Path file = dir.resolve("object-16k.bin");
        Files.write(file, new byte[SIZE]);
        String[] names = new String[2 + jars.length];
        String[] agentArgs = new String[names.length];
        names[0] = "no agent";
        names[1] = "agent, tags=false (walks)";
        agentArgs[1] = "-javaagent:" + jars[jars.length - 1] + "=tags=false";
        for (int j = 0; j < jars.length; j++) {
            names[2 + j] = jars.length == 1 ? "agent" : "agent " + (j + 1) + " " + Paths.get(jars[j]).getFileName();
            agentArgs[2 + j] = "-javaagent:" + jars[j];
        }
        List<List<Double>> ns = new ArrayList<>();
        List<List<Double>> ratios = new ArrayList<>();
        List<List<Double>> shares = new ArrayList<>();
        for (int v = 0; v < names.length; v++) {
            ns.add(new ArrayList<>());
            ratios.add(new ArrayList<>());
            shares.add(new ArrayList<>());
        }
        try {
            for (int r = 0; r < rounds; r++) {
                StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
                double plain = 0;
                for (int v = 0; v < names.length; v++) {
                    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m"));
                    if (agentArgs[v] != null) {
                        cmd.add(agentArgs[v]);
                    }
                    Path collapsed = dir.resolve("profile.collapsed");
                    if (profiler != null) {
                        cmd.add("-agentpath:" + profiler + "=start,event=cpu,interval=200us,collapsed,file="
                                + collapsed);
                    }
                    cmd.addAll(List.of("-cp", cp, OpenReadCloseCpuHarness.class.getName(), "child", file.toString(),
                            Integer.toString(ops)));
                    double t = run(cmd);
                    if (v == 0) {
                        plain = t;
                    }
                    ns.get(v).add(t);
                    ratios.get(v).add(t / plain);
                    line.append(String.format(Locale.ROOT, " %s %.0f ns", names[v], t));
                    if (profiler != null) {
                        double share = agentShare(collapsed);
                        shares.get(v).add(share);
                        line.append(String.format(Locale.ROOT, " (agent %.1f%%)", 100 * share));
                        CollapsedStacks.keep(collapsed, "orc-round" + (r + 1) + "-run" + (v + 1) + ".collapsed");
                        Files.deleteIfExists(collapsed);
                    }
                }
                System.out.println(line);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        System.out.printf(Locale.ROOT, "%-28s %12s %8s  %-26s%s%n", "open+read+close 16 KiB", "CPU ns (med)", "ratio",
                "per-round ratios min..max", profiler == null ? "" : "agent share of the loop's samples (med, min..max)");
        for (int v = 0; v < names.length; v++) {
            List<Double> rs = ratios.get(v);
            System.out.printf(Locale.ROOT, "%-28s %12.0f %8.3f  %.3f..%-19.3f", names[v], median(ns.get(v)),
                    median(ns.get(v)) / median(ns.get(0)), Collections.min(rs), Collections.max(rs));
            List<Double> sh = shares.get(v);
            if (profiler != null && v > 0) {
                System.out.printf(Locale.ROOT, "%.2f%% (%.2f..%.2f%%)", 100 * median(sh), 100 * Collections.min(sh),
                        100 * Collections.max(sh));
            }
            System.out.println();
        }
    }

    /** Of the samples inside the open-read-close loop, the fraction with a frame of the agent's code. */
    private static double agentShare(Path collapsed) throws IOException {
        long[] loop = new long[1];
        long[] agent = new long[1];
        CollapsedStacks.forEach(collapsed, (stack, n) -> {
            if (stack.contains("OpenReadCloseCpuHarness.once")) {
                loop[0] += n;
                if (stack.contains("dev/hotpath/agent/") || stack.contains("dev.hotpath.agent.")) {
                    agent[0] += n;
                }
            }
        });
        return agent[0] / (double) Math.max(1, loop[0]);
    }

    private static double run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        double ns = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l; (l = out.readLine()) != null; ) {
                if (l.startsWith("ns=")) {
                    ns = Double.parseDouble(l.substring(3));
                }
            }
        }
        if (p.waitFor() != 0 || ns < 0) {
            throw new IllegalStateException("child failed: " + cmd);
        }
        return ns;
    }

    /** CPU ns of this thread per open+read+close, after as many warm-up iterations. */
    private static double child(Path file, int ops) throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ByteBuffer buf = ByteBuffer.allocate(SIZE);
        long sink = 0;
        for (int i = 0; i < ops; i++) {
            sink += once(file, buf);
        }
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
            sink += once(file, buf);
        }
        long t1 = mx.getCurrentThreadCpuTime();
        if (sink != 2L * ops * SIZE) {
            throw new IllegalStateException("read " + sink);
        }
        return (t1 - t0) / (double) ops;
    }

    private static int once(Path file, ByteBuffer buf) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            buf.clear();
            return ch.read(buf, 0);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
