package dev.hotpath.bench.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway sample's maximum throughput with and without the hotpath agent, measured directly: the issue's
 * "throughput loss under load ≤ 2%". Two gateways run for the whole measurement, started as
 * {@link GatewayThroughputHarness} starts them ({@code -Xmx512m -jar hotpath-samples.jar gateway --threads=8}; one with
 * {@code -javaagent:hotpath-agent.jar=snapshot=FILE}, the agent's defaults plus a snapshot file), both pinned to one
 * core ({@code taskset -c 1}). The harness re-executes itself pinned to the other core ({@code taskset -c 0}) and
 * drives them with a closed loop ({@link ClosedLoopLoad}: 8 keep-alive connections, {@code seq-read:3,write:1} of
 * 16 KiB objects as a fixed rotation), so that the one server core is saturated: each window prints the gateway's CPU
 * as a share of a core ({@code /proc/PID/stat}) and what else ran on its core ({@code /proc/stat}).
 *
 * <p>After a warm-up of each, every round loads one gateway for a window and then the other (the other idle), the
 * order alternating between rounds so that a drift of the machine cancels; a window starts after a short ramp (new
 * connections, the idle gateway waking up) and counts the operations completed inside it. The harness prints per
 * round the ops/s of each and their ratio, then over the rounds the median agent/plain ratio with a bootstrap 95%
 * interval of the median (rounds resampled with replacement), the mean with its bootstrap interval, min..max and the
 * loss (1 - ratio). Beside it, the same for the CPU-normalised throughput (operations per CPU-second the gateway
 * got): on a shared machine other processes take part of the server core in some windows and not in others, which
 * moves ops/s but much less ops per CPU-second. At the end the agent's gateway is stopped, and its snapshot's file
 * reads and writes are compared with the GETs and PUTs it served (each 16 KiB GET is one positional read, each PUT
 * one write), so one sees every operation recorded. Failed requests are counted and fail the run.
 *
 * <pre>
 * mvn -B -q -o -pl agent,sample-apps,benchmarks -am package -DskipTests
 * cd benchmarks && java -Drounds=12 -cp target/classes dev.hotpath.bench.agent.GatewaySaturationHarness
 * </pre>
 * System properties: {@code hotpath.agent.jar} (../agent/target/hotpath-agent.jar), {@code samples.jar}
 * (../sample-apps/target/hotpath-samples.jar), {@code rounds} (12), {@code window} (5s per side per round),
 * {@code ramp} (1s before each window), {@code warmup} (30s per gateway), {@code connections} (8),
 * {@code workload} (seq-read:3,write:1; also random-read), {@code sizes} (16k; or weighted 4k:70,1m:30),
 * {@code objects} (64), {@code writeKeys} (64), {@code agentOptions} (appended after {@code snapshot=FILE}),
 * {@code gatewayJvmArgs} (extra JVM flags for both gateways, space-separated), {@code baselineJvmArgs} (extra JVM
 * flags for the plain side only: with {@code baselineAgent} the same jar and {@code -Dhotpath.agent.ablate=detail},
 * {@code keys} or {@code distinct}, the agent's switch, the ratio is the full recorder against the recorder without
 * that part), {@code gatewayThreads} (8),
 * {@code serverCpu} (1), {@code clientCpu} (0; {@code none}: no pinning at all), {@code quietShare} (0.05: the
 * summary over the rounds in which others took at most this share of the server core), {@code profile}
 * (false; true: both gateways under async-profiler, and at the end each gateway's share of samples in agent code,
 * over the whole run and over the measured rounds only, with the JIT compiler's and the GC's shares there),
 * {@code profileLoop} (10s: the profiler writes a profile per loop, and the loops inside the measured rounds make
 * the second figure), {@code profileEvent} (cpu,interval=1ms; e.g. alloc,total), {@code profileDir} (keeps the
 * whole-run and measured-rounds collapsed profiles of both sides),
 * {@code null} (false; true: an A/A run, both sides without the agent, for the method's own noise and bias),
 * {@code mode} ({@code alternate}; {@code together}: see below), {@code baselineAgent} (none; a jar: the plain side
 * runs that agent with the same options, so that the ratio compares two agent builds), {@code first} ({@code plain};
 * {@code agent}: the agent's gateway launched and loaded first), {@code pairs} (1; N: N pairs of gateways one after
 * another, the order alternating, summarised over the pairs, see {@link #pairs}; each pair's profiles kept in
 * {@code profileDir/pairN}).
 *
 * <p>{@code -Dmode=together} loads both gateways at once on their shared core, for the warm-up and then {@code rounds}
 * back-to-back windows, and compares their operations per CPU-second in each window (CPU to the nanosecond from the
 * scheduler's per-thread {@code schedstat}, not 10 ms ticks). On a virtual machine whose core slows by tens of percent
 * from one window to the next (a neighbour on the host), alternating windows pair each side with a different
 * slowdown (session 10: per-round ratios from 0.70 to 1.35 over 30 rounds); loaded together, both sides of a window
 * run on the same slowed core (per-window ratios within about ±1%). The price: the two JVMs take turns on the core,
 * so each starts its turns in caches the other left, and a cost of the agent that is cache pressure is shared between
 * them and shows at most half. The warm-up is shared too: give it twice the alternating mode's ({@code -Dwarmup=240s}
 * for 120 s each).
 *
 * <p>Pinned to one CPU, the gateways' JVMs choose the Serial collector and two compiler threads by ergonomics (as any
 * JVM limited to one CPU would); {@code -DgatewayJvmArgs=-XX:+UseG1GC} measures under G1 instead. On a busy machine
 * other processes take part of the server core (the {@code others} column): ops/s then moves with their share, ops
 * per CPU-second much less; shorter windows and more rounds ({@code -Dwindow=2s -Dramp=300ms -Drounds=30
 * -Dwarmup=40s}) pair the two sides more closely in time and gave tighter intervals there than 12 rounds of 5 s.
 */
public final class GatewaySaturationHarness {
    private static final Pattern SITE = Pattern.compile(
            "\"kind\":\"(\\w+)\",\"op\":\"(\\w+)\",\"target\":\"(?:[^\"\\\\]|\\\\.)*\",\"count\":(\\d+)");
    private static final Pattern DROPPED = Pattern.compile("\"dropped\":(\\d+)");

    private GatewaySaturationHarness() {
    }

    /** One pinned gateway JVM, kept running for the whole measurement. */
    private static final class Gateway implements AutoCloseable {
        final String name;
        final GatewayLaunch launch;
        final Process process;
        final Path root;
        final ClosedLoopLoad load;

        Gateway(String name, List<String> cmdPrefix, List<String> jvm, String samples) throws Exception {
            this.name = name;
            root = Files.createTempDirectory("hotpath-gw-sat");
            List<String> cmd = new ArrayList<>(cmdPrefix);
            cmd.addAll(jvm);
            cmd.addAll(List.of("-jar", samples, "gateway", "--root=" + root, "--port=0",
                    "--threads=" + Integer.getInteger("gatewayThreads", 8), "--bucket=data"));
            System.out.println(name + ": " + String.join(" ", cmd));
            launch = GatewayLaunch.start(cmd, ProcessBuilder.Redirect.INHERIT);
            process = launch.process;
            int port = launch.port;
            load = new ClosedLoopLoad("127.0.0.1", port, System.getProperty("workload", "seq-read:3,write:1"),
                    System.getProperty("sizes", "16k"), Integer.getInteger("objects", 64),
                    Integer.getInteger("writeKeys", 64));
        }

        long cpuTicks() throws IOException {
            return ProcCpu.processTicks(process.pid());
        }

        long cpuNanos() throws IOException {
            long n = ProcCpu.processNanos(process.pid());
            if (n < 0) {
                throw new IllegalStateException("-Dmode=together needs /proc/PID/task/TID/schedstat");
            }
            return n;
        }

        /** Stops the JVM with SIGTERM (so that the agent writes its snapshot at exit) and deletes the root. */
        @Override
        public void close() throws IOException {
            if (!Files.exists(root)) {
                return; // closed already
            }
            launch.stop(30);
            GatewayLaunch.deleteTree(root);
        }
    }

    /**
     * One measured window of one gateway: operations completed, seconds, the gateway's CPU (ticks), the harness's
     * own CPU (ticks: the client), and the busy share of the server and client cores (all processes).
     */
    private record Window(long ops, long reads, long writes, double seconds, long gatewayTicks, long clientTicks,
                          double serverCoreBusy, double clientCoreBusy, long idleGatewayTicks) {
        double opsPerSecond() {
            return ops / seconds;
        }

        double gatewayCores() {
            return gatewayTicks / ProcCpu.TICKS_PER_SECOND / seconds;
        }

        double clientCores() {
            return clientTicks / ProcCpu.TICKS_PER_SECOND / seconds;
        }

        double cpuMicrosPerOp() {
            return gatewayTicks * 1e6 / ProcCpu.TICKS_PER_SECOND / ops;
        }

        /** The CPU the other, idle gateway used meanwhile (its agent's snapshot writes, its timers), in cores. */
        double idleGatewayCores() {
            return idleGatewayTicks / ProcCpu.TICKS_PER_SECOND / seconds;
        }

        /**
         * The share of the server core that others took: other processes, and the kernel's interrupt work (loopback
         * softirqs for both sides of the gateway's connections), which /proc/PID/stat does not charge to the gateway.
         */
        double others() {
            return Math.max(0, serverCoreBusy - gatewayCores());
        }

        /** Operations per CPU-second the gateway got. */
        double opsPerCpuSecond() {
            return ops / (gatewayTicks / ProcCpu.TICKS_PER_SECOND);
        }
    }

    public static void main(String[] args) throws Exception {
        String clientCpu = System.getProperty("clientCpu", "0");
        int pairs = Integer.getInteger("pairs", 1);
        if (pairs > 1) {
            System.exit(pairs(pairs, clientCpu, args));
        }
        if (!"none".equals(clientCpu) && !Boolean.getBoolean("saturation.pinned")) {
            System.exit(reexec(clientCpu, args, List.of(), null));
        }
        String agent = abs(System.getProperty("hotpath.agent.jar", "../agent/target/hotpath-agent.jar"));
        String samples = abs(System.getProperty("samples.jar", "../sample-apps/target/hotpath-samples.jar"));
        for (String jar : List.of(agent, samples)) {
            if (!Files.isRegularFile(Paths.get(jar))) {
                throw new IllegalStateException(jar + " is missing: mvn -B -q -o -pl agent,sample-apps,benchmarks"
                        + " -am package -DskipTests");
            }
        }
        int rounds = Integer.getInteger("rounds", 12);
        long windowMillis = millis(System.getProperty("window", "5s"));
        long rampMillis = millis(System.getProperty("ramp", "1s"));
        long warmupMillis = millis(System.getProperty("warmup", "30s"));
        int connections = Integer.getInteger("connections", 8);
        String serverCpu = System.getProperty("serverCpu", "1");
        String agentOptions = System.getProperty("agentOptions", "");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> pin = "none".equals(clientCpu) ? List.of() : List.of("taskset", "-c", serverCpu);
        List<String> common = new ArrayList<>(List.of("-Xmx512m"));
        common.addAll(jvmFlags("gatewayJvmArgs"));
        Path snapshot = Files.createTempFile("hotpath-gw-sat", ".json");
        Files.delete(snapshot); // the agent writes it; a leftover would fake a recording
        List<String> plainJvm = new ArrayList<>(List.of(java));
        // -DbaselineAgent=JAR: the "plain" side runs that agent jar (same options), for an A/B of two agent builds
        String baseline = System.getProperty("baselineAgent", "");
        Path baselineSnapshot = null;
        if (!baseline.isEmpty()) {
            baselineSnapshot = Files.createTempFile("hotpath-gw-sat-baseline", ".json");
            Files.delete(baselineSnapshot);
            plainJvm.add("-javaagent:" + abs(baseline) + "=snapshot=" + baselineSnapshot
                    + (agentOptions.isEmpty() ? "" : "," + agentOptions));
        }
        plainJvm.addAll(common);
        // -DbaselineJvmArgs=...: extra JVM flags for the plain (or baseline) side only; with -DbaselineAgent set to
        // the same jar and e.g. -Dhotpath.agent.ablate=detail, the ratio is the full recorder against a part of it
        plainJvm.addAll(jvmFlags("baselineJvmArgs"));
        // -Dnull=true: an A/A run, the "agent" side without the agent, to see the method's own noise and bias
        boolean nullRun = Boolean.getBoolean("null");
        // -Dmode=together: both gateways loaded at once, each window's two sides under the same load of the machine
        boolean together = "together".equals(System.getProperty("mode", "alternate"));
        List<String> agentJvm = new ArrayList<>(nullRun ? List.of(java) : List.of(java, "-javaagent:" + agent
                + "=snapshot=" + snapshot + (agentOptions.isEmpty() ? "" : "," + agentOptions)));
        agentJvm.addAll(common);
        // -Dprofile=true: both gateways under async-profiler alike (it costs both some throughput), to set the
        // agent's share of the saturated gateway's CPU samples beside the throughput it measured
        // The profiler writes a profile every profileLoop (async-profiler's loop option), so that the measured
        // rounds can be read apart from start and warm-up: the periodic snapshot and the JIT's late compilations
        // of it run only every interval, and a whole-run profile mixed them with the warm-up's.
        String profiler = Boolean.getBoolean("profile") ? AgentCpuCostHarness.profilerLibrary() : null;
        long loopMillis = millis(System.getProperty("profileLoop", "10s"));
        Path profiles = profiler == null ? null : Files.createTempDirectory("hotpath-gw-sat-profiles");
        if (profiler != null) {
            String event = System.getProperty("profileEvent", "cpu,interval=1ms"); // or e.g. alloc,total
            String loop = ",loop=" + Math.max(1, loopMillis / 1000) + "s,collapsed,file=";
            agentJvm.add(1, "-agentpath:" + profiler + "=start,event=" + event + loop + profiles
                    + "/agent-%n{100000}.collapsed");
            plainJvm.add(1, "-agentpath:" + profiler + "=start,event=" + event + loop + profiles
                    + "/plain-%n{100000}.collapsed");
            // the entry advice's recorder calls out of line, so that the profiler does not put the host's own code
            // (monitor enters, array copies) in them (AgentCpuCostHarness#ENTRY_OUT_OF_LINE); on both sides when
            // both run an agent. Out of line each costs a call more, in the profiled runs only.
            if (!nullRun) {
                agentJvm.addAll(1, AgentCpuCostHarness.ENTRY_OUT_OF_LINE);
            }
            if (!baseline.isEmpty()) {
                plainJvm.addAll(1, AgentCpuCostHarness.ENTRY_OUT_OF_LINE);
            }
        }
        long measureStart = 0;
        long measureEnd = 0;

        String failure = null;
        System.out.printf(Locale.ROOT, "load average at start: %s; client pinned to cpu %s, gateways to cpu %s%n",
                ProcCpu.loadAverage(), clientCpu, serverCpu);
        // -Dfirst=agent: the agent's gateway is launched, prepared, loaded and read before the plain one (plain first
        // by default), so that -Dpairs=N can alternate the order between pairs
        boolean agentFirst = "agent".equals(System.getProperty("first", "plain"));
        System.out.println("launched first: " + (agentFirst ? "agent" : "plain"));
        try (Gateway one = agentFirst ? new Gateway("agent", pin, agentJvm, samples)
                : new Gateway("plain", pin, plainJvm, samples);
             Gateway two = agentFirst ? new Gateway("plain", pin, plainJvm, samples)
                     : new Gateway("agent", pin, agentJvm, samples)) {
            Gateway plain = agentFirst ? two : one;
            Gateway withAgent = agentFirst ? one : two;
            int cpu = "none".equals(clientCpu) ? -1 : Integer.parseInt(serverCpu);
            int ccpu = "none".equals(clientCpu) ? -1 : Integer.parseInt(clientCpu);
            for (Gateway g : List.of(one, two)) {
                g.load.prepare();
            }
            long[] span = together
                    ? coRun(plain, withAgent, connections, rampMillis, windowMillis, warmupMillis, rounds, cpu,
                            agentFirst)
                    : alternate(plain, withAgent, connections, rampMillis, windowMillis, warmupMillis, rounds,
                            cpu, ccpu);
            measureStart = span[0];
            measureEnd = span[1];
            for (Gateway g : List.of(plain, withAgent)) {
                if (g.load.errors.sum() > 0 && failure == null) {
                    failure = g.name + ": " + g.load.errors.sum() + " failed requests, the first: "
                            + g.load.firstError.get();
                }
            }
            long servedReads = withAgent.load.reads.sum();
            long servedWrites = withAgent.load.writes.sum();
            withAgent.close(); // SIGTERM: the agent writes its snapshot at exit
            if (nullRun) {
                System.out.println("null run: both sides without the agent");
            } else {
                recorded(snapshot, servedReads, servedWrites);
            }
            Files.deleteIfExists(snapshot);
            if (baselineSnapshot != null) {
                plain.close();
                System.out.println("baseline agent " + baseline + " on the plain side:");
                recorded(baselineSnapshot, plain.load.reads.sum(), plain.load.writes.sum());
                Files.deleteIfExists(baselineSnapshot);
            }
            if (profiles != null) {
                plain.close(); // both profilers have written their last loop
                String event = System.getProperty("profileEvent", "cpu");
                for (String side : List.of("agent", "plain")) {
                    Path whole = profiles.resolve(side + "-all.collapsed");
                    Path measured = profiles.resolve(side + "-measured.collapsed");
                    int loops = CollapsedStacks.merge(profiles, side + "-", 0, Long.MAX_VALUE, whole);
                    // loops that began after the warm-up and ended before the last round did (file times are ends)
                    int inRounds = CollapsedStacks.merge(profiles, side + "-", measureStart + loopMillis,
                            measureEnd + 500, measured);
                    long[] w = agentSamples(whole);
                    long[] m = agentSamples(measured);
                    System.out.printf(Locale.ROOT, "%s samples, %s's gateway: in agent code %.2f%% of all (%d), %.2f%%"
                            + " of request threads' (start and warm-up included, %d loops of %d ms); in the measured"
                            + " rounds (%d loops): agent code %.2f%% of all (%d), %.2f%% of request threads', JIT"
                            + " compiler threads %.2f%%, GC %.2f%%; of the agent code, array-copy stubs the"
                            + " profiler puts under an inlined agent frame (the host's own copies) %.2f%% of all%n",
                            event, side, 100.0 * w[1] / w[0], w[0], 100.0 * w[3] / w[2], loops, loopMillis, inRounds,
                            100.0 * m[1] / m[0], m[0], 100.0 * m[3] / m[2], 100.0 * m[4] / m[0], 100.0 * m[5] / m[0],
                            100.0 * m[6] / m[0]);
                    CollapsedStacks.keep(whole, "saturation-" + side + ".collapsed");
                    CollapsedStacks.keep(measured, "saturation-" + side + "-measured.collapsed");
                }
                GatewayLaunch.deleteTree(profiles);
            }
        }
        System.out.printf(Locale.ROOT, "load average at end: %s%n", ProcCpu.loadAverage());
        if (failure != null) {
            throw new IllegalStateException(failure); // a window with failed requests measured something else
        }
    }

    /** The space-separated JVM flags of system property {@code name}; none when it is unset or blank. */
    private static List<String> jvmFlags(String name) {
        String flags = System.getProperty(name, "").trim();
        return flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
    }

    /**
     * Runs this class again under {@code taskset -c CPU} (none: unpinned) with the same JVM flags and {@code more};
     * returns its exit code. With {@code lines}, the child's stdout is printed and also collected there.
     */
    private static int reexec(String cpu, String[] args, List<String> more, List<String> lines) throws Exception {
        List<String> cmd = new ArrayList<>("none".equals(cpu) ? List.of() : List.of("taskset", "-c", cpu));
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(more);
        cmd.addAll(List.of("-Dsaturation.pinned=true", "-cp", System.getProperty("java.class.path"),
                GatewaySaturationHarness.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        if (lines != null) {
            pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        }
        Process p = pb.start();
        Thread hook = new Thread(p::destroy); // Ctrl-C: the child's hooks stop the gateways
        Runtime.getRuntime().addShutdownHook(hook);
        if (lines != null) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println(line);
                    lines.add(line);
                }
            }
        }
        int rc = p.waitFor();
        Runtime.getRuntime().removeShutdownHook(hook);
        return rc;
    }

    private static final Pattern EFFICIENCY = Pattern.compile(
            "^ops per gateway CPU-second, agent/plain\\s+median (\\d+\\.\\d+)");

    /**
     * {@code -Dpairs=N}: N independent pairs of gateway JVMs, one after another, each measured as a whole run of this
     * harness (its own warm-up and rounds), the launch order alternating (plain first in odd pairs) unless
     * {@code -Dfirst} is given. One JVM differs from the next by more than a window's ratio shows (its JIT's
     * decisions, its memory's layout): session 14 measured one build at 0.977 and 0.965 in two single runs whose
     * intervals were each ±0.3%. So, as JMH runs forks, the summary is over the pairs: each pair's median ratio, their
     * mean with a 95% t-interval, and the loss by it.
     */
    private static int pairs(int pairs, String clientCpu, String[] args) throws Exception {
        List<Double> medians = new ArrayList<>();
        String fixed = System.getProperty("first");
        for (int i = 0; i < pairs; i++) {
            String first = fixed != null ? fixed : i % 2 == 0 ? "plain" : "agent";
            System.out.printf(Locale.ROOT, "=== pair %d of %d, launched first: %s%n", i + 1, pairs, first);
            List<String> lines = new ArrayList<>();
            List<String> more = new ArrayList<>(List.of("-Dpairs=1", "-Dfirst=" + first));
            String keep = System.getProperty("profileDir");
            if (keep != null) {
                more.add("-DprofileDir=" + Paths.get(keep, "pair" + (i + 1)).toAbsolutePath());
            }
            int rc = reexec(clientCpu, args, more, lines);
            if (rc != 0) {
                System.out.printf(Locale.ROOT, "pair %d failed (exit %d)%n", i + 1, rc);
                return rc;
            }
            for (String line : lines) {
                Matcher m = EFFICIENCY.matcher(line);
                if (m.find()) {
                    medians.add(Double.parseDouble(m.group(1)));
                }
            }
            if (medians.size() != i + 1) {
                throw new IllegalStateException("pair " + (i + 1) + " printed no median ratio");
            }
        }
        double mean = 0;
        for (double m : medians) {
            mean += m / pairs;
        }
        double ss = 0;
        for (double m : medians) {
            ss += (m - mean) * (m - mean);
        }
        double sd = Math.sqrt(ss / (pairs - 1));
        double half = T95[Math.min(pairs - 1, T95.length) - 1] * sd / Math.sqrt(pairs);
        StringBuilder each = new StringBuilder();
        for (double m : medians) {
            each.append(String.format(Locale.ROOT, " %.3f", m));
        }
        System.out.printf(Locale.ROOT, "pairs: ops per gateway CPU-second, agent/plain, each pair's median:%s%n", each);
        System.out.printf(Locale.ROOT, "over %d pairs: mean %.3f (95%% t-interval %.3f..%.3f), sd %.4f; loss %.1f%%"
                + " (%.1f%%..%.1f%%)%n", pairs, mean, mean - half, mean + half, sd, 100 * (1 - mean),
                100 * (1 - mean - half), 100 * (1 - mean + half));
        return 0;
    }

    /** Student's t, two-sided 95%, for 1..10 degrees of freedom (more: the 10's, a little wide). */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};

    /**
     * Loads {@code g} for ramp + window and returns what happened in the window; the other gateway stays idle. The
     * counters are read at the window's edges while the load runs, so the operations in flight at either edge fall
     * on the side where they complete.
     */
    private static Window measure(Gateway g, Gateway idle, int connections, long rampMillis, long windowMillis,
                                  int serverCpu, int clientCpu) throws Exception {
        ClosedLoopLoad load = g.load;
        load.start(connections);
        try {
            Thread.sleep(rampMillis);
            long ops0 = load.completed.sum();
            long reads0 = load.reads.sum();
            long writes0 = load.writes.sum();
            long gw0 = g.cpuTicks();
            long idle0 = idle.cpuTicks();
            long cl0 = ProcCpu.processTicks(ProcessHandle.current().pid());
            long[] cores0 = ProcCpu.coreTicks();
            long t0 = System.nanoTime();
            Thread.sleep(windowMillis);
            long ops1 = load.completed.sum();
            long t1 = System.nanoTime();
            long reads1 = load.reads.sum();
            long writes1 = load.writes.sum();
            long gw1 = g.cpuTicks();
            long idle1 = idle.cpuTicks();
            long cl1 = ProcCpu.processTicks(ProcessHandle.current().pid());
            long[] cores1 = ProcCpu.coreTicks();
            return new Window(ops1 - ops0, reads1 - reads0, writes1 - writes0, (t1 - t0) / 1e9, gw1 - gw0, cl1 - cl0,
                    ProcCpu.busy(cores0, cores1, serverCpu), ProcCpu.busy(cores0, cores1, clientCpu), idle1 - idle0);
        } finally {
            load.stop();
        }
    }

    /**
     * The default mode: after a warm-up of each in alternating segments, {@code rounds} rounds in which each gateway
     * is loaded alone for a window, the order alternating, with the per-round ratios and their summaries printed.
     * Returns the measured span's start and end (epoch milliseconds).
     */
    private static long[] alternate(Gateway plain, Gateway withAgent, int connections, long rampMillis,
                                    long windowMillis, long warmupMillis, int rounds, int cpu, int ccpu)
            throws Exception {
        // warm-up in alternating segments, so that both JITs work through the same stretch of the machine's
        // load; each segment's ops/s shows when the throughput stopped rising
        StringBuilder[] progress = {new StringBuilder(), new StringBuilder()};
        for (long done = 0; done < warmupMillis; done += windowMillis) {
            for (int k = 0; k < 2; k++) {
                Window w = measure(k == 0 ? plain : withAgent, k == 0 ? withAgent : plain, connections, 0,
                        Math.min(windowMillis, warmupMillis - done), cpu, ccpu);
                progress[k].append(String.format(Locale.ROOT, " %.0f", w.opsPerSecond()));
            }
        }
        System.out.printf(Locale.ROOT, "warm-up ops/s per %d ms: plain%s | agent%s%n", windowMillis, progress[0],
                progress[1]);
        long start = System.currentTimeMillis();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        List<Window> plainWindows = new ArrayList<>();
        List<Window> agentWindows = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean agentFirst = r % 2 == 1;
            Window a = null;
            Window p = null;
            for (int k = 0; k < 2; k++) {
                boolean useAgent = (k == 0) == agentFirst;
                Window w = measure(useAgent ? withAgent : plain, useAgent ? plain : withAgent, connections,
                        rampMillis, windowMillis, cpu, ccpu);
                if (useAgent) {
                    a = w;
                } else {
                    p = w;
                }
            }
            plainWindows.add(p);
            agentWindows.add(a);
            ratios.add(a.opsPerSecond() / p.opsPerSecond());
            cpuRatios.add(a.opsPerCpuSecond() / p.opsPerCpuSecond());
            System.out.printf(Locale.ROOT, "round %2d (%s first): plain %s | agent %s | ops/s ratio %.3f,"
                    + " per CPU-s %.3f; load average %s%n", r + 1, agentFirst ? "agent" : "plain", describe(p),
                    describe(a), ratios.get(r), cpuRatios.get(r), ProcCpu.loadAverage());
        }
        long end = System.currentTimeMillis();
        System.out.printf(Locale.ROOT, "%d rounds of %d ms per side after %d ms warm-up each, %d connections,"
                + " %s of %s; errors: plain %d, agent %d%n", rounds, windowMillis, warmupMillis, connections,
                System.getProperty("workload", "seq-read:3,write:1"), System.getProperty("sizes", "16k"),
                plain.load.errors.sum(), withAgent.load.errors.sum());
        for (String side : List.of("plain", "agent")) {
            List<Window> ws = side.equals("plain") ? plainWindows : agentWindows;
            System.out.printf(Locale.ROOT, "%s (medians): %.0f ops/s, %.0f us CPU/op, server core: gateway %.2f"
                    + " others %.2f (of which the idle gateway %.3f) idle %.2f; client %.2f cores, client core"
                    + " busy %.2f%n", side,
                    median(ws, Window::opsPerSecond), median(ws, Window::cpuMicrosPerOp),
                    median(ws, Window::gatewayCores), median(ws, Window::others),
                    median(ws, Window::idleGatewayCores),
                    median(ws, w -> 1 - w.serverCoreBusy()), median(ws, Window::clientCores),
                    median(ws, Window::clientCoreBusy));
        }
        List<Window> all = new ArrayList<>(plainWindows);
        all.addAll(agentWindows);
        double idle = median(all, w -> 1 - w.serverCoreBusy());
        if (idle > 0.05) {
            System.out.printf(Locale.ROOT, "NOT SATURATED: the server core was idle %.0f%% of the time (median);"
                    + " more -Dconnections, or is the client core busy with other work?%n", 100 * idle);
        }
        if (median(all, Window::clientCores) > 0.9) {
            System.out.println("the client used most of its core: it may be the bottleneck");
        }
        RatioSummary.summary("throughput (ops/s), agent/plain", ratios);
        RatioSummary.summary("ops per gateway CPU-second, agent/plain", cpuRatios);
        // rounds in which other processes took (almost) none of the server core on either side: on a busy
        // machine the ones whose ratio means the gateway's own capacity
        double quiet = Double.parseDouble(System.getProperty("quietShare", "0.05"));
        List<Double> quietRatios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            if (plainWindows.get(r).others() <= quiet && agentWindows.get(r).others() <= quiet) {
                quietRatios.add(ratios.get(r));
            }
        }
        if (quietRatios.size() >= 3 && quietRatios.size() < rounds) {
            RatioSummary.summary(String.format(Locale.ROOT, "%d rounds with others <= %.0f%%, ops/s",
                    quietRatios.size(), 100 * quiet), quietRatios);
        } else if (quietRatios.size() < 3) {
            System.out.printf(Locale.ROOT, "only %d rounds in which other processes took <= %.0f%% of the server"
                    + " core on both sides: the machine was busy%n", quietRatios.size(), 100 * quiet);
        }
        return new long[] {start, end};
    }

    /** What the co-run reads at a window's edge: both gateways' completed operations and CPU, and the cores. */
    private record Edge(long nanos, long plainOps, long agentOps, long plainCpu, long agentCpu, long[] cores) {
        /** Both sides' counts and CPU, the side launched first read first (as a bias could come with the order). */
        static Edge read(Gateway plain, Gateway agent, boolean agentFirst) throws IOException {
            long t = System.nanoTime();
            if (agentFirst) {
                long agentOps = agent.load.completed.sum();
                long plainOps = plain.load.completed.sum();
                long agentCpu = agent.cpuNanos();
                return new Edge(t, plainOps, agentOps, plain.cpuNanos(), agentCpu, ProcCpu.coreTicks());
            }
            return new Edge(t, plain.load.completed.sum(), agent.load.completed.sum(), plain.cpuNanos(),
                    agent.cpuNanos(), ProcCpu.coreTicks());
        }

        /** Agent/plain operations per CPU-second between {@code this} and a later edge. */
        double efficiency(Edge e) {
            return (double) (e.agentOps - agentOps) / (e.agentCpu - agentCpu)
                    / ((double) (e.plainOps - plainOps) / (e.plainCpu - plainCpu));
        }
    }

    /**
     * {@code -Dmode=together}: both gateways loaded at once, for the warm-up and then {@code rounds} back-to-back
     * windows, so that whatever slows the shared server core in a window (a neighbour on the host, the hypervisor)
     * slows both sides of that window alike; each window's ratio is of operations per CPU-second (CPU to the
     * nanosecond, {@link ProcCpu#processNanos}), since the scheduler need not split the core evenly. Returns the
     * measured span's start and end (epoch milliseconds).
     */
    private static long[] coRun(Gateway plain, Gateway agent, int connections, long rampMillis, long windowMillis,
                                long warmupMillis, int rounds, int serverCpu, boolean agentFirst)
            throws Exception {
        (agentFirst ? agent : plain).load.start(connections);
        (agentFirst ? plain : agent).load.start(connections);
        try {
            Thread.sleep(rampMillis);
            StringBuilder progress = new StringBuilder();
            Edge prev = Edge.read(plain, agent, agentFirst);
            for (long done = 0; done < warmupMillis; done += windowMillis) {
                Thread.sleep(Math.min(windowMillis, warmupMillis - done));
                Edge e = Edge.read(plain, agent, agentFirst);
                progress.append(String.format(Locale.ROOT, " %.0f/%.0f",
                        (e.plainOps - prev.plainOps) / ((e.nanos - prev.nanos) / 1e9),
                        (e.agentOps - prev.agentOps) / ((e.nanos - prev.nanos) / 1e9)));
                prev = e;
            }
            System.out.printf(Locale.ROOT, "warm-up together, ops/s plain/agent per %d ms:%s%n", windowMillis,
                    progress);
            long start = System.currentTimeMillis();
            List<Double> efficiency = new ArrayList<>();
            List<Double> throughput = new ArrayList<>();
            double[][] perSide = new double[4][rounds]; // us CPU/op plain, agent; cores plain, agent
            double[] others = new double[rounds];
            prev = Edge.read(plain, agent, agentFirst);
            for (int r = 0; r < rounds; r++) {
                Thread.sleep(windowMillis);
                Edge e = Edge.read(plain, agent, agentFirst);
                double seconds = (e.nanos - prev.nanos) / 1e9;
                long pOps = e.plainOps - prev.plainOps;
                long aOps = e.agentOps - prev.agentOps;
                double pCores = (e.plainCpu - prev.plainCpu) / 1e9 / seconds;
                double aCores = (e.agentCpu - prev.agentCpu) / 1e9 / seconds;
                perSide[0][r] = (e.plainCpu - prev.plainCpu) / 1e3 / pOps;
                perSide[1][r] = (e.agentCpu - prev.agentCpu) / 1e3 / aOps;
                perSide[2][r] = pCores;
                perSide[3][r] = aCores;
                others[r] = Math.max(0, ProcCpu.busy(prev.cores, e.cores, serverCpu) - pCores - aCores);
                efficiency.add(prev.efficiency(e));
                throughput.add((double) aOps / pOps);
                System.out.printf(Locale.ROOT, "window %2d: plain %5.0f ops/s, %5.1f us CPU/op, %.3f cores | agent"
                                + " %5.0f ops/s, %5.1f us CPU/op, %.3f cores | others %.2f | per CPU-s %.3f, ops/s %.3f;"
                                + " load average %s%n", r + 1, pOps / seconds, perSide[0][r], pCores, aOps / seconds,
                        perSide[1][r], aCores, others[r], efficiency.get(r), throughput.get(r),
                        ProcCpu.loadAverage());
                prev = e;
            }
            long end = System.currentTimeMillis();
            for (double[] xs : perSide) {
                Arrays.sort(xs);
            }
            Arrays.sort(others);
            System.out.printf(Locale.ROOT, "%d windows of %d ms, both gateways loaded together after %d ms of warm-up"
                            + " together, %d connections each, %s of %s; errors: plain %d, agent %d%n", rounds,
                    windowMillis, warmupMillis, connections, System.getProperty("workload", "seq-read:3,write:1"),
                    System.getProperty("sizes", "16k"), plain.load.errors.sum(), agent.load.errors.sum());
            System.out.printf(Locale.ROOT, "medians: plain %.1f us CPU/op on %.3f cores, agent %.1f us CPU/op on %.3f"
                            + " cores, others %.3f of the server core%n", RatioSummary.median(perSide[0]),
                    RatioSummary.median(perSide[2]), RatioSummary.median(perSide[1]), RatioSummary.median(perSide[3]),
                    RatioSummary.median(others));
            RatioSummary.summary("ops per gateway CPU-second, agent/plain", efficiency);
            RatioSummary.summary("ops/s (the core's split), agent/plain", throughput);
            return new long[] {start, end};
        } finally {
            plain.load.stop();
            agent.load.stop();
        }
    }

    private static String describe(Window w) {
        return String.format(Locale.ROOT, "%5.0f ops/s, %4.0f us CPU/op, server core: gateway %.2f others %.2f idle"
                        + " %.2f, client %.2f cores", w.opsPerSecond(), w.cpuMicrosPerOp(), w.gatewayCores(),
                w.others(), 1 - w.serverCoreBusy(), w.clientCores());
    }

    /**
     * The file reads and writes in the agent's snapshot against the GETs and PUTs its gateway served (prepare and
     * warm-up included): every 16 KiB GET is one positional {@code FileChannel.read} and every PUT one
     * {@code FileOutputStream.write}, so recorded ≥ served when every operation was recorded.
     */
    private static void recorded(Path snapshot, long servedReads, long servedWrites) throws IOException {
        if (!Files.isRegularFile(snapshot)) {
            System.out.println("agent snapshot: none written at " + snapshot + " (the agent did not record)");
            return;
        }
        String json = Files.readString(snapshot);
        long fileReads = 0;
        long fileWrites = 0;
        long socketOps = 0;
        long sites = 0;
        Matcher m = SITE.matcher(json);
        while (m.find()) {
            sites++;
            long n = Long.parseLong(m.group(3));
            if (m.group(1).equals("file") && m.group(2).equals("read")) {
                fileReads += n;
            } else if (m.group(1).equals("file") && m.group(2).equals("write")) {
                fileWrites += n;
            } else if (m.group(1).equals("socket")) {
                socketOps += n;
            }
        }
        Matcher d = DROPPED.matcher(json);
        System.out.printf(Locale.ROOT, "agent snapshot: %d keys, dropped %s; file reads %d for %d GETs served (%s),"
                        + " file writes %d for %d PUTs served (%s); socket operations %d%n", sites,
                d.find() ? d.group(1) : "?", fileReads, servedReads,
                fileReads >= servedReads ? "all recorded" : "MISSING " + (servedReads - fileReads), fileWrites,
                servedWrites, fileWrites >= servedWrites ? "all recorded" : "MISSING " + (servedWrites - fileWrites),
                socketOps);
    }

    /**
     * Samples of a collapsed profile: all, in agent code, the request threads' (stacks rooted in Thread.run, not
     * the agent's exporter), theirs in agent code, the JIT compiler threads' and the garbage collector's; and of
     * those in agent code, the array-copy stubs directly under an agent frame. The recorder copies no arrays on the
     * host's threads: such a sample is a copy of the host method the agent's advice is inlined into (a socket write's
     * heap-to-direct copy), placed by the profiler at the last debug scope before the stub's call, which can be the
     * inlined entry advice's (session 14: 0.55% of one pair's samples under {@code StreamTable.get}, none in another).
     */
    private static long[] agentSamples(Path collapsed) throws IOException {
        long[] t = new long[7];
        CollapsedStacks.forEach(collapsed, (stack, n) -> {
            boolean inAgent = stack.contains("dev/hotpath/agent/");
            int leaf = stack.lastIndexOf(';');
            if (inAgent && leaf > 0 && stack.indexOf("arraycopy", leaf) > 0
                    && stack.lastIndexOf("dev/hotpath/agent/") > stack.lastIndexOf(';', leaf - 1)) {
                t[6] += n;
            }
            t[0] += n;
            t[1] += inAgent ? n : 0;
            t[4] += stack.contains("CompileBroker::") ? n : 0;
            t[5] += stack.contains("CollectForAllocation") || stack.contains("GCTaskThread")
                    || stack.contains("G1") || stack.contains("WorkerThread::run") ? n : 0;
            if (stack.startsWith("java/lang/Thread.run") && !stack.contains("hotpath/agent/export")) {
                t[2] += n;
                t[3] += inAgent ? n : 0;
            }
        });
        t[0] = Math.max(1, t[0]);
        t[2] = Math.max(1, t[2]);
        return t;
    }

    private static double median(List<Window> ws, ToDoubleFunction<Window> f) {
        double[] xs = ws.stream().mapToDouble(f).toArray();
        Arrays.sort(xs);
        return RatioSummary.median(xs);
    }

    private static long millis(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Long.parseLong(t.substring(0, t.length() - 2));
        }
        if (t.endsWith("s")) {
            return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
        }
        if (t.endsWith("m")) {
            return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000);
        }
        return Long.parseLong(t);
    }

    private static String abs(String path) {
        return Paths.get(path).toAbsolutePath().normalize().toString();
    }
}
