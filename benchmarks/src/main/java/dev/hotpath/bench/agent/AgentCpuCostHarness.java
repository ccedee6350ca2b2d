package dev.hotpath.bench.agent;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The agent's per-operation cost in CPU time rather than wall time: on a machine shared with other work, JMH's
 * wall-clock scores include time the thread spent descheduled, which swamps a difference of tens of nanoseconds.
 * Child JVMs (alternately without and with {@code -javaagent}) run the same two loops as
 * {@link AgentOverheadBenchmark} — 128-byte FileOutputStream.write, 4 KiB positional FileChannel.read — after a
 * warm-up, and report the thread's CPU nanoseconds per operation (ThreadMXBean); the harness prints the medians of
 * the rounds and their ratio.
 *
 * <pre>
 * cd benchmarks && java -cp target/classes:$(cat target/classpath.txt) dev.hotpath.bench.agent.AgentCpuCostHarness
 * </pre>
 * System properties: {@code hotpath.agent.jar}, {@code rounds} (5), {@code ops} (2000000 per measurement).
 */
public final class AgentCpuCostHarness {
    private AgentCpuCostHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        String jar = Paths.get(System.getProperty("hotpath.agent.jar", "../agent/target/hotpath-agent.jar"))
                .toAbsolutePath().normalize().toString();
        int rounds = Integer.getInteger("rounds", 5);
        int ops = Integer.getInteger("ops", 2_000_000);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<Double> wPlain = new ArrayList<>();
        List<Double> wAgent = new ArrayList<>();
        List<Double> rPlain = new ArrayList<>();
        List<Double> rAgent = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] plain = run(List.of(java, "-cp", cp, AgentCpuCostHarness.class.getName(), "child", "" + ops));
            double[] agent = run(List.of(java, "-javaagent:" + jar, "-cp", cp, AgentCpuCostHarness.class.getName(),
                    "child", "" + ops));
            wPlain.add(plain[0]);
            rPlain.add(plain[1]);
            wAgent.add(agent[0]);
            rAgent.add(agent[1]);
            System.out.printf(Locale.ROOT, "round %d: write %.1f / %.1f ns, read %.1f / %.1f ns (plain / agent)%n",
                    r + 1, plain[0], agent[0], plain[1], agent[1]);
        }
        System.out.printf(Locale.ROOT, "%-30s %12s %12s %8s%n", "cpu ns/op (median)", "no agent", "agent", "ratio");
        print("fileOutputStreamWrite128", median(wPlain), median(wAgent));
        print("fileChannelPositionalRead4k", median(rPlain), median(rAgent));
    }

    private static void print(String name, double plain, double agent) {
        System.out.printf(Locale.ROOT, "%-30s %12.1f %12.1f %8.3f%n", name, plain, agent, agent / plain);
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static double[] run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                last = line;
            }
        }
        if (p.waitFor() != 0 || last == null) {
            throw new IllegalStateException("child failed: " + cmd);
        }
        String[] parts = last.trim().split(" ");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    private static void child(int ops) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("hotpath-cpu");
        Path data = dir.resolve("data.bin");
        Files.write(data, new byte[1 << 20]);
        byte[] record = new byte[128];
        ByteBuffer page = ByteBuffer.allocateDirect(4096);
        double write;
        double read;
        try (FileOutputStream out = new FileOutputStream(dir.resolve("log.bin").toFile());
             FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            writes(out, record, ops / 2); // warm-up
            long t0 = mx.getCurrentThreadCpuTime();
            writes(out, record, ops);
            write = (mx.getCurrentThreadCpuTime() - t0) / (double) ops;
            reads(ch, page, ops / 2);
            t0 = mx.getCurrentThreadCpuTime();
            reads(ch, page, ops);
            read = (mx.getCurrentThreadCpuTime() - t0) / (double) ops;
        }
        Files.delete(data);
        Files.delete(dir.resolve("log.bin"));
        Files.delete(dir);
        System.out.printf(Locale.ROOT, "%.2f %.2f%n", write, read);
    }

    private static void writes(FileOutputStream out, byte[] record, int n) throws Exception {
        for (int i = 1; i <= n; i++) {
            out.write(record);
            if ((i & 0x3fff) == 0) {
                out.getChannel().position(0);
            }
        }
    }

    private static long reads(FileChannel ch, ByteBuffer page, int n) throws Exception {
        long pos = 0;
        long total = 0;
        for (int i = 0; i < n; i++) {
            page.clear();
            total += ch.read(page, pos);
            pos = (pos + 4096) & ((1 << 20) - 1);
        }
        return total;
    }
}
