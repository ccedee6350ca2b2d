package dev.hotpath.bench.agent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The agent's cost per operation when its data is not in the cache, as in a service whose requests each sweep the
 * caches (bodies copied, buffers allocated) between two I/O calls: the sample gateway's case. Child JVMs run one
 * loop per kind, each iteration an evicting sweep over {@code evict} KiB of memory (one read and write per 64-byte
 * line) and then the I/O, and the same loop without the sweep:
 * <ul>
 *   <li>{@code socket}: a 64-byte {@code SocketChannel.write} and a 64-byte read of the echo (two recorded operations
 *       on one loopback connection, whose state is in the agent's stream table, as a keep-alive
 *       connection's);</li>
 *   <li>{@code get}: the gateway's GET, {@code FileChannel.open} of one of 64 files of 16 KiB, one positional read
 *       of it, close (one recorded operation on a new stream: its call site from the call's tag, its key by
 *       target).</li>
 * </ul>
 * Each agent run is profiled (async-profiler, a CPU sample per 50 us of the thread's CPU time); the agent's nanoseconds
 * per operation are the measured loop's samples in the agent's frames times that interval, over its operations (the
 * warm-up, a third as long, runs under a frame of its own whose samples are not counted). The sweep is not the agent's,
 * so it does not enter the figure; neither does the profiler's own cost, which a share of the profiled run's CPU time
 * would carry (its signal handler doubled the hot loops' CPU time per iteration). What this leaves out: the host's own
 * lines that the agent's evict. The runs without agent give each loop's own CPU time per iteration, for scale, and the
 * printed coverage (the measured loop's samples times the interval over the thread's CPU time in it) shows how much of
 * the thread's CPU time the samples account for.
 *
 * <pre>
 * cd benchmarks && java -cp target/classes dev.hotpath.bench.agent.ColdCacheCostHarness
 * </pre>
 * System properties: {@code hotpath.agent.jar} (../agent/target/hotpath-agent.jar; comma-separated builds compared in
 * one run), {@code rounds} (3), {@code iterations} (30000 measured GETs, three times as many socket round trips, after
 * a third as many warm-up ones), {@code evict} (4096 KiB: twice this machine's 2 MiB L2), {@code loops}
 * ({@code socket,get}), {@code profileDir} (keeps the collapsed profiles).
 */
public final class ColdCacheCostHarness {
    private static final int INTERVAL_NANOS = 50_000;
    private static final String[] LOOPS = {"socket", "get"};
    private static final int[] OPS_PER_ITERATION = {2, 1};
    /** The socket loop runs this many times the iterations: its agent cost per iteration is a tenth of the GET's. */
    private static final int[] ITERATIONS_FACTOR = {3, 1};

    private ColdCacheCostHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        List<String> jars = AgentCpuCostHarness.agentJars();
        int rounds = Integer.getInteger("rounds", 3);
        int iterations = Integer.getInteger("iterations", 30_000);
        int evict = Integer.getInteger("evict", 4096);
        List<String> loops = List.of(System.getProperty("loops", String.join(",", LOOPS)).split(","));
        String profiler = AgentCpuCostHarness.profilerLibrary();
        if (profiler == null) {
            throw new IllegalStateException("no async-profiler in the local Maven repository: build benchmarks first");
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        int[] sweeps = {0, evict};
        // [loop][sweep][jar] agent ns per op over the rounds; [loop][sweep] the loop's ns per iteration without agent
        List<List<List<List<Double>>>> agentNs = new ArrayList<>();
        List<List<List<Double>>> plainNs = new ArrayList<>();
        for (int l = 0; l < loops.size(); l++) {
            List<List<List<Double>>> bySweep = new ArrayList<>();
            List<List<Double>> plainBySweep = new ArrayList<>();
            for (int s = 0; s < sweeps.length; s++) {
                List<List<Double>> byJar = new ArrayList<>();
                for (int j = 0; j < jars.size(); j++) {
                    byJar.add(new ArrayList<>());
                }
                bySweep.add(byJar);
                plainBySweep.add(new ArrayList<>());
            }
            agentNs.add(bySweep);
            plainNs.add(plainBySweep);
        }
        for (int r = 0; r < rounds; r++) {
            for (int l = 0; l < loops.size(); l++) {
                String loop = loops.get(l);
                int opsPerIteration = OPS_PER_ITERATION[List.of(LOOPS).indexOf(loop)];
                int loopIterations = iterations * ITERATIONS_FACTOR[List.of(LOOPS).indexOf(loop)];
                for (int s = 0; s < sweeps.length; s++) {
                    List<String> plainCmd = new ArrayList<>(List.of(java, "-cp", cp,
                            ColdCacheCostHarness.class.getName(), "child", loop, "" + loopIterations, "" + sweeps[s]));
                    double plain = run(plainCmd);
                    plainNs.get(l).get(s).add(plain);
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                            "round %d %-6s sweep %5d KiB: no agent %8.1f ns/iteration", r + 1, loop, sweeps[s], plain));
                    for (int j = 0; j < jars.size(); j++) {
                        Path collapsed = Files.createTempFile("hotpath-cold", ".collapsed");
                        List<String> cmd = new ArrayList<>(List.of(java, "-javaagent:" + jars.get(j)));
                        cmd.addAll(AgentCpuCostHarness.ENTRY_OUT_OF_LINE);
                        cmd.add("-agentpath:" + profiler + "=start,event=cpu,interval=" + INTERVAL_NANOS
                                + "ns,collapsed,file=" + collapsed);
                        cmd.addAll(List.of("-cp", cp, ColdCacheCostHarness.class.getName(), "child", loop,
                                "" + loopIterations, "" + sweeps[s]));
                        double perIteration = run(cmd);
                        long[] samples = loopSamples(collapsed);
                        CollapsedStacks.keep(collapsed, "cold-round" + (r + 1) + "-" + loop + "-sweep" + sweeps[s]
                                + "-agent" + (j + 1) + ".collapsed");
                        Files.deleteIfExists(collapsed);
                        double ns = samples[1] * (double) INTERVAL_NANOS / ((double) loopIterations * opsPerIteration);
                        double coverage = samples[0] * (double) INTERVAL_NANOS / (loopIterations * perIteration);
                        agentNs.get(l).get(s).get(j).add(ns);
                        line.append(String.format(Locale.ROOT, " | agent %d %8.1f ns/iteration profiled, %d of %d"
                                + " samples in agent code, %.1f ns/op (coverage %.2f)", j + 1, perIteration,
                                samples[1], samples[0], ns, coverage));
                    }
                    System.out.println(line);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-8s %-10s %-6s %16s %16s  %s%n", "loop", "sweep KiB", "agent",
                "loop ns/iter", "agent ns/op", "per-round agent ns/op min..max");
        for (int l = 0; l < loops.size(); l++) {
            for (int s = 0; s < sweeps.length; s++) {
                for (int j = 0; j < jars.size(); j++) {
                    List<Double> xs = agentNs.get(l).get(s).get(j);
                    double plain = AgentCpuCostHarness.median(plainNs.get(l).get(s));
                    System.out.printf(Locale.ROOT, "%-8s %-10d %-6d %16.1f %16.1f  %.1f..%.1f%n", loops.get(l),
                            sweeps[s], j + 1, plain, AgentCpuCostHarness.median(xs), Collections.min(xs),
                            Collections.max(xs));
                }
            }
        }
        for (int j = 0; j < jars.size(); j++) {
            System.out.println("agent " + (j + 1) + ": " + jars.get(j));
        }
    }

    /** The loop thread's samples (those under {@link #measure}), and how many of them are in the agent's frames. */
    private static long[] loopSamples(Path collapsed) throws IOException {
        long[] loop = new long[1];
        long[] agent = new long[1];
        CollapsedStacks.forEach(collapsed, (stack, n) -> {
            if (!stack.contains("ColdCacheCostHarness.measure")) {
                return;
            }
            loop[0] += n;
            if (stack.contains("dev/hotpath/agent/") || stack.contains("dev.hotpath.agent.")) {
                agent[0] += n;
            }
        });
        return new long[] {loop[0], agent[0]};
    }

    /** The child's CPU nanoseconds per measured iteration (its last line). */
    private static double run(List<String> cmd) throws Exception {
        return Double.parseDouble(AgentCpuCostHarness.run(cmd)[0]);
    }

    /** The I/O of one iteration, on resources the child set up. */
    private interface Iteration {
        void run(int i) throws IOException;
    }

    private static void child(String loop, int iterations, int evictKib) throws Exception {
        long[] sweep = new long[Math.max(8, evictKib * 128)];
        Path dir = Files.createTempDirectory("hotpath-cold");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Iteration io;
            if (loop.equals("socket")) {
                io = socketLoop(open);
            } else if (loop.equals("get")) {
                io = getLoop(dir);
            } else {
                throw new IllegalArgumentException("loop: socket or get, not " + loop);
            }
            warmUp(io, sweep, iterations / 3, evictKib > 0);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long t0 = mx.getCurrentThreadCpuTime();
            measure(io, sweep, iterations, evictKib > 0);
            System.out.printf(Locale.ROOT, "%.1f%n", (mx.getCurrentThreadCpuTime() - t0) / (double) iterations);
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private static long sink;

    /** The loop before the measured one: its samples are not counted, as its frame is not {@link #measure}. */
    private static void warmUp(Iteration io, long[] sweep, int iterations, boolean evict) throws IOException {
        loop(io, sweep, iterations, evict);
    }

    /** The measured loop: the samples under this frame (inlined or not, the profiler names it) are counted. */
    private static void measure(Iteration io, long[] sweep, int iterations, boolean evict) throws IOException {
        loop(io, sweep, iterations, evict);
    }

    private static void loop(Iteration io, long[] sweep, int iterations, boolean evict) throws IOException {
        long x = 0;
        for (int i = 0; i < iterations; i++) {
            if (evict) {
                for (int k = 0; k < sweep.length; k += 8) { // one long per 64-byte line, read and written
                    x += sweep[k];
                    sweep[k] = x;
                }
            }
            io.run(i);
        }
        sink += x;
    }

    /** A loopback connection with an echo thread; the loop writes 64 bytes and reads the echo. */
    private static Iteration socketLoop(List<AutoCloseable> open) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        open.add(server);
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        open.add(client);
        SocketChannel accepted = server.accept();
        open.add(accepted);
        Thread echo = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            try {
                while (true) {
                    b.clear();
                    while (b.hasRemaining()) {
                        if (accepted.read(b) < 0) {
                            return;
                        }
                    }
                    b.flip();
                    while (b.hasRemaining()) {
                        accepted.write(b);
                    }
                }
            } catch (IOException e) {
                // closed at the end
            }
        }, "echo");
        echo.setDaemon(true);
        echo.start();
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        return i -> {
            b.clear();
            client.write(b); // blocking: all 64 bytes
            b.clear();
            while (b.hasRemaining()) {
                client.read(b);
            }
        };
    }

    /** 64 files of 16 KiB; each iteration opens the next, reads it with one positional read and closes it. */
    private static Iteration getLoop(Path dir) throws IOException {
        Path[] files = new Path[64];
        for (int f = 0; f < files.length; f++) {
            files[f] = Files.write(dir.resolve("object-" + f), new byte[16 * 1024]);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(16 * 1024);
        return i -> {
            try (FileChannel ch = FileChannel.open(dir.resolve(files[i & 63].getFileName().toString()),
                    StandardOpenOption.READ)) {
                b.clear();
                ch.read(b, 0);
            }
        };
    }
}
