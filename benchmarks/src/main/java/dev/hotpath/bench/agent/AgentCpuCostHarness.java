package dev.hotpath.bench.agent;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
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
 * Child JVMs (in each round one without the agent, then one per agent jar) run the same two loops as
 * {@link AgentOverheadBenchmark} — 128-byte FileOutputStream.write, 4 KiB positional FileChannel.read — after a
 * warm-up, and report the thread's CPU nanoseconds per operation (ThreadMXBean); the harness prints the medians of
 * the rounds, their ratio, and the spread of the per-round ratios (each against that round's run without agent).
 *
 * <pre>
 * cd benchmarks && java -cp target/classes:$(cat target/classpath.txt) dev.hotpath.bench.agent.AgentCpuCostHarness
 * </pre>
 * All runs are also profiled (async-profiler from the local Maven repository, CPU samples every 1 ms): the share of
 * each loop's samples inside the agent's code is a second, load-independent figure, printed raw and net of the
 * samples the instrumented method's own return point loses to the agent's inlined exit (see instrumentedSelf).
 * System properties: {@code hotpath.agent.jar} (comma-separated: several agent builds compared in one run),
 * {@code rounds} (5), {@code ops} (2000000 per measurement), {@code profile} (true),
 * {@code profileDir} (a directory to keep the collapsed profiles in), {@code meter} ({@code async}; {@code perf}: the
 * children under Linux perf instead of async-profiler, see {@link PerfMeter}).
 */
public final class AgentCpuCostHarness {
    private AgentCpuCostHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        List<String> jars = agentJars();
        int rounds = Integer.getInteger("rounds", 5);
        int ops = Integer.getInteger("ops", 2_000_000);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<Double> wPlain = new ArrayList<>();
        List<Double> rPlain = new ArrayList<>();
        List<List<Double>> wRatio = new ArrayList<>();
        List<List<Double>> rRatio = new ArrayList<>();
        List<List<Double>> wAgent = new ArrayList<>();
        List<List<Double>> rAgent = new ArrayList<>();
        for (int j = 0; j < jars.size(); j++) {
            wRatio.add(new ArrayList<>());
            rRatio.add(new ArrayList<>());
            wAgent.add(new ArrayList<>());
            rAgent.add(new ArrayList<>());
        }
        // -Dmeter=perf: the children under perf record instead of async-profiler (see PerfMeter)
        boolean perf = "perf".equals(System.getProperty("meter", "async"));
        if (perf && !PerfMeter.available()) {
            throw new IllegalStateException("-Dmeter=perf: no perf here");
        }
        String profiler = perf ? null : profilerLibrary();
        List<List<Double>> wPerf = new ArrayList<>();
        List<List<Double>> rPerf = new ArrayList<>();
        for (int j = 0; j < jars.size(); j++) {
            wPerf.add(new ArrayList<>());
            rPerf.add(new ArrayList<>());
        }
        List<List<Double>> wShare = new ArrayList<>();
        List<List<Double>> rShare = new ArrayList<>();
        List<List<Double>> wNet = new ArrayList<>();
        List<List<Double>> rNet = new ArrayList<>();
        for (int j = 0; j < jars.size(); j++) {
            wShare.add(new ArrayList<>());
            rShare.add(new ArrayList<>());
            wNet.add(new ArrayList<>());
            rNet.add(new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            // the run without agent is profiled too: the profiler's own cost then hits both sides, and the
            // instrumented methods' own samples there correct the agent's share (see agentShare)
            Path plainCollapsed = Files.createTempFile("hotpath-agent-cpu", ".collapsed");
            List<String> plainCmd = new ArrayList<>(List.of(java));
            if (profiler != null) {
                plainCmd.add("-agentpath:" + profiler + "=start,event=cpu,interval=1ms,collapsed,file="
                        + plainCollapsed);
            }
            plainCmd.addAll(List.of("-cp", cp, AgentCpuCostHarness.class.getName(), "child", "" + ops));
            Path perfData = perf ? Files.createTempFile("hotpath-agent-cpu", ".perf") : null;
            String[] plainOut = run(perf ? PerfMeter.command(perfData, plainCmd) : plainCmd);
            double[] plain = nanosPerOp(plainOut);
            double[] plainPerf = perf ? PerfMeter.shares(perfData, plainOut) : null;
            double[] plainSelf = profiler == null ? new double[2] : instrumentedSelf(plainCollapsed);
            CollapsedStacks.keep(plainCollapsed, "cpu-round" + (r + 1) + "-plain.collapsed");
            Files.deleteIfExists(plainCollapsed);
            wPlain.add(plain[0]);
            rPlain.add(plain[1]);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "round %d: no agent write %.1f ns, read %.1f ns", r + 1, plain[0], plain[1]));
            for (int j = 0; j < jars.size(); j++) {
                Path collapsed = Files.createTempFile("hotpath-agent-cpu", ".collapsed");
                List<String> cmd = new ArrayList<>(List.of(java, "-javaagent:" + jars.get(j)));
                if (profiler != null) { // perf needs no debug information: there the advice stays inlined
                    cmd.addAll(ENTRY_OUT_OF_LINE);
                    cmd.add("-agentpath:" + profiler + "=start,event=cpu,interval=1ms,collapsed,file=" + collapsed);
                }
                cmd.addAll(List.of("-cp", cp, AgentCpuCostHarness.class.getName(), "child", "" + ops));
                String[] agentOut = run(perf ? PerfMeter.command(perfData, cmd) : cmd);
                double[] agent = nanosPerOp(agentOut);
                if (perf) {
                    double[] a = PerfMeter.shares(perfData, agentOut);
                    wPerf.get(j).add((a[0] - plainPerf[0]) / (1 - plainPerf[0]));
                    rPerf.get(j).add((a[1] - plainPerf[1]) / (1 - plainPerf[1]));
                }
                if (profiler != null) {
                    double[] share = agentShare(collapsed);
                    double[] self = instrumentedSelf(collapsed);
                    wShare.get(j).add(share[0]);
                    rShare.get(j).add(share[1]);
                    wNet.get(j).add(share[0] - Math.max(0, plainSelf[0] - self[0]));
                    rNet.get(j).add(share[1] - Math.max(0, plainSelf[1] - self[1]));
                }
                CollapsedStacks.keep(collapsed, "cpu-round" + (r + 1) + "-agent" + (j + 1) + ".collapsed");
                Files.deleteIfExists(collapsed);
                wAgent.get(j).add(agent[0]);
                rAgent.get(j).add(agent[1]);
                wRatio.get(j).add(agent[0] / plain[0]);
                rRatio.get(j).add(agent[1] / plain[1]);
                line.append(String.format(Locale.ROOT, " | agent %d write %.1f ns, read %.1f ns", j + 1, agent[0],
                        agent[1]));
            }
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "%-30s %-6s %10s %10s %8s  %s%n", "cpu ns/op (median)", "agent", "no agent",
                "agent", "ratio", "per-round ratios min..max");
        for (int j = 0; j < jars.size(); j++) {
            print("fileOutputStreamWrite128", j + 1, median(wPlain), median(wAgent.get(j)), wRatio.get(j));
            print("fileChannelPositionalRead4k", j + 1, median(rPlain), median(rAgent.get(j)), rRatio.get(j));
        }
        if (profiler != null) {
            System.out.printf(Locale.ROOT, "%-30s %-6s %18s %10s  %s%n", "CPU samples in agent code", "agent",
                    "share (median)", "1/(1-s)", "per-round share min..max");
            for (int j = 0; j < jars.size(); j++) {
                printShare("fileOutputStreamWrite128", j + 1, wShare.get(j));
                printShare("fileChannelPositionalRead4k", j + 1, rShare.get(j));
            }
            System.out.printf(Locale.ROOT, "%-30s %-6s %18s %10s  %s%n", "net of the return point", "agent",
                    "share (median)", "1/(1-s)", "per-round share min..max");
            for (int j = 0; j < jars.size(); j++) {
                printShare("fileOutputStreamWrite128", j + 1, wNet.get(j));
                printShare("fileChannelPositionalRead4k", j + 1, rNet.get(j));
            }
        }
        if (perf) {
            System.out.printf(Locale.ROOT, "%-30s %-6s %18s %10s  %s%n", "perf: agent share (a-p)/(1-p)", "agent",
                    "share (median)", "1/(1-s)", "per-round share min..max");
            for (int j = 0; j < jars.size(); j++) {
                printShare("fileOutputStreamWrite128", j + 1, wPerf.get(j));
                printShare("fileChannelPositionalRead4k", j + 1, rPerf.get(j));
            }
        }
        for (int j = 0; j < jars.size(); j++) {
            System.out.println("agent " + (j + 1) + ": " + jars.get(j));
        }
    }

    private static void print(String name, int agentNo, double plain, double agent, List<Double> ratios) {
        System.out.printf(Locale.ROOT, "%-30s %-6d %10.1f %10.1f %8.3f  %.3f..%.3f%n", name, agentNo, plain, agent,
                agent / plain, Collections.min(ratios), Collections.max(ratios));
    }

    private static void printShare(String name, int agentNo, List<Double> shares) {
        double m = median(shares);
        System.out.printf(Locale.ROOT, "%-30s %-6d %17.2f%% %10.3f  %.2f%%..%.2f%%%n", name, agentNo, 100 * m,
                1 / (1 - m), 100 * Collections.min(shares), 100 * Collections.max(shares));
    }

    /**
     * Of the CPU samples inside each measured loop of an agent run, the fraction in the agent's code (a frame of
     * {@code dev.hotpath.agent}, inlined ones included). Unlike the CPU-time ratio, it does not depend on how
     * loaded the machine was between the two JVMs; it leaves out indirect costs (caches the agent's data evicts).
     */
    private static double[] agentShare(Path collapsed) throws IOException {
        long[] loop = new long[2];
        long[] agent = new long[2];
        CollapsedStacks.forEach(collapsed, (stack, n) -> {
            int k = loopOf(stack);
            if (k < 0) {
                return;
            }
            loop[k] += n;
            if (stack.contains("dev/hotpath/agent/") || stack.contains("dev.hotpath.agent.")) {
                agent[k] += n;
            }
        });
        return new double[] {agent[0] / (double) Math.max(1, loop[0]), agent[1] / (double) Math.max(1, loop[1])};
    }

    /**
     * Of each loop's samples, the fraction whose leaf is the instrumented JDK method itself (FileOutputStream.write,
     * FileChannelImpl.read) rather than something it calls. Without the agent that is mostly the return from the
     * native write (about 1% of the write loop); with the agent the exit advice is inlined right there and the same
     * samples land in the agent's first frame. The "net" share subtracts what the method lost this way, so that
     * the agent is not charged for JDK code that ran either way.
     */
    private static double[] instrumentedSelf(Path collapsed) throws IOException {
        long[] loop = new long[2];
        long[] self = new long[2];
        CollapsedStacks.forEach(collapsed, (stack, n) -> {
            int k = loopOf(stack);
            if (k < 0) {
                return;
            }
            loop[k] += n;
            String leaf = stack.substring(stack.lastIndexOf(';') + 1);
            String method = k == 0 ? "java/io/FileOutputStream.write" : "sun/nio/ch/FileChannelImpl.read";
            if (leaf.equals(method) || leaf.startsWith(method + "_[")) {
                self[k] += n;
            }
        });
        return new double[] {self[0] / (double) Math.max(1, loop[0]), self[1] / (double) Math.max(1, loop[1])};
    }

    /**
     * JVM options of the agent runs profiled by async-profiler (also {@link GatewaySaturationHarness}'s): the entry
     * advice's calls into the recorder ({@code Recorder.fileState} here; {@code socketState}, {@code channelState} and
     * {@code acceptState} in the gateway) are compiled out of line, so that their samples are their own. Inlined, it is the first code of the instrumented method,
     * and async-profiler charged it samples that belong to the JDK: in the 4 KiB read loop the samples taken right
     * after the monitor enters of {@code blockedOn} (in {@code begin} and {@code end} of the channel's blocking
     * section, JDK code with no debug information of its own) came out as {@code StreamTable.get}, ~2.7 points of
     * the loop's 8.5% "agent" share in session 15 (found with {@code features=pcaddr} and the method's machine code
     * from {@code -XX:CompileCommand=print}); {@code -XX:+DebugNonSafepoints} and every {@code cstack} mode gave the
     * same. Without the agent those samples are {@code AbstractInterruptibleChannel.begin}'s. Out of line, the entry
     * costs a call more than it does in production, and that call is charged to the agent: the share is, if anything,
     * high.
     */
    static final List<String> ENTRY_OUT_OF_LINE = List.of("-XX:CompileCommand=quiet",
            "-XX:CompileCommand=dontinline,dev.hotpath.agent.bootstrap.Recorder::*State");

    /** 0 for a stack in the write loop, 1 in the read loop, -1 outside both. */
    private static int loopOf(String stack) {
        return stack.contains("AgentCpuCostHarness.writes") ? 0 : stack.contains("AgentCpuCostHarness.reads") ? 1 : -1;
    }

    /** async-profiler's library from the local Maven repository (tools.profiler:async-profiler), or null. */
    static String profilerLibrary() throws IOException {
        if (System.getProperty("profile", "true").equals("false")) {
            return null;
        }
        Path m2 = Paths.get(System.getProperty("user.home"), ".m2", "repository", "tools", "profiler",
                "async-profiler");
        if (!Files.isDirectory(m2)) {
            return null;
        }
        Path jar;
        try (java.util.stream.Stream<Path> s = Files.walk(m2)) {
            jar = s.filter(p -> p.getFileName().toString().matches("async-profiler-[0-9.]+\\.jar")).sorted()
                    .reduce((a, b) -> b).orElse(null);
        }
        if (jar == null) {
            return null;
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            java.util.zip.ZipEntry e = zip.getEntry("linux-x64/libasyncProfiler.so");
            if (e == null) {
                return null;
            }
            Path lib = Files.createTempFile("libasyncProfiler", ".so");
            lib.toFile().deleteOnExit();
            try (java.io.InputStream in = zip.getInputStream(e)) {
                Files.copy(in, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return lib.toString();
        }
    }

    /** The agent builds to compare: {@code -Dhotpath.agent.jar}, comma-separated, as absolute paths. */
    static List<String> agentJars() {
        List<String> jars = new ArrayList<>();
        for (String j : System.getProperty("hotpath.agent.jar", "../agent/target/hotpath-agent.jar").split(",")) {
            jars.add(Paths.get(j.trim()).toAbsolutePath().normalize().toString());
        }
        return jars;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /**
     * Runs a child JVM and returns its last line, split on spaces (here {@code write read pid tid w0 w1 r0 r1}, see
     * {@link #child}); also {@link ColdCacheCostHarness}'s children.
     */
    static String[] run(List<String> cmd) throws Exception {
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
        return last.trim().split(" ");
    }

    /** The write's and the read's CPU nanoseconds per operation from a child's {@link #run} fields. */
    private static double[] nanosPerOp(String[] fields) {
        return new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1])};
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
        long w0;
        long w1;
        long r0;
        long r1;
        // this thread's id for perf (PID/task/TID), and the measured windows on System.nanoTime's clock
        String tid = Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName().toString();
        try (FileOutputStream out = new FileOutputStream(dir.resolve("log.bin").toFile());
             FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            writes(out, record, ops / 2); // warm-up
            w0 = System.nanoTime();
            long t0 = mx.getCurrentThreadCpuTime();
            writes(out, record, ops);
            write = (mx.getCurrentThreadCpuTime() - t0) / (double) ops;
            w1 = System.nanoTime();
            reads(ch, page, ops / 2);
            r0 = System.nanoTime();
            t0 = mx.getCurrentThreadCpuTime();
            reads(ch, page, ops);
            read = (mx.getCurrentThreadCpuTime() - t0) / (double) ops;
            r1 = System.nanoTime();
        }
        Files.delete(data);
        Files.delete(dir.resolve("log.bin"));
        Files.delete(dir);
        System.out.printf(Locale.ROOT, "%.2f %.2f %d %s %d %d %d %d%n", write, read, ProcessHandle.current().pid(), tid,
                w0, w1, r0, r1);
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
