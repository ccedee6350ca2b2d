package dev.hotpath.bench.agent;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-operation cost of the hotpath agent: a 128-byte {@code FileOutputStream.write}, a 4 KiB positional
 * {@code FileChannel.read} (page cache), and the per-request "open a 16 KiB file, read it, close it" (FileChannel and
 * FileInputStream), each measured in forked JVMs without the agent, with it but call-site tags off ({@code tags=false}:
 * every new stream's site by a stack walk) and with it as shipped, in the same run, and printed as ratios. Every
 * operation is recorded when the agent is on (latency, bytes, call site).
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -o -pl agent,benchmarks -am package -DskipTests
 * mvn -B -q -o -pl benchmarks exec:exec -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath dev.hotpath.bench.agent.AgentOverheadBenchmark"
 * </pre>
 * System properties: {@code hotpath.agent.jar} (default {@code ../agent/target/hotpath-agent.jar}),
 * {@code bench.forks} (2), {@code bench.iterations} (5), {@code bench.seconds} (1), {@code bench.include} (a regex
 * of benchmark names, e.g. {@code openReadClose.*}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AgentOverheadBenchmark {
    private static final int FILE_SIZE = 1 << 20;

    private Path dir;
    private FileOutputStream out;
    private FileChannel channel;
    private final byte[] record = new byte[128];
    private final ByteBuffer page = ByteBuffer.allocateDirect(4096);
    private long writes;
    private long readPosition;
    private static final int SMALL_SIZE = 16 * 1024;
    private Path small;
    private final ByteBuffer smallBuffer = ByteBuffer.allocate(SMALL_SIZE);
    private final byte[] smallArray = new byte[SMALL_SIZE];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("hotpath-bench");
        Path data = dir.resolve("data.bin");
        Files.write(data, new byte[FILE_SIZE]);
        small = dir.resolve("object-16k.bin");
        Files.write(small, new byte[SMALL_SIZE]);
        channel = FileChannel.open(data, StandardOpenOption.READ);
        out = new FileOutputStream(dir.resolve("log.bin").toFile());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        out.close();
        channel.close();
        Files.deleteIfExists(dir.resolve("data.bin"));
        Files.deleteIfExists(dir.resolve("log.bin"));
        Files.deleteIfExists(small);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public void fileOutputStreamWrite128() throws IOException {
        out.write(record);
        if ((++writes & 0x3fff) == 0) {
            out.getChannel().position(0); // keep the file at 2 MiB: page cache, not disk
        }
    }

    @Benchmark
    public int fileChannelPositionalRead4k() throws IOException {
        page.clear();
        int n = channel.read(page, readPosition);
        readPosition = (readPosition + 4096) & (FILE_SIZE - 1);
        return n;
    }

    /**
     * The per-request pattern of a service that opens a file per request (the sample gateway's GET): open a 16 KiB
     * file, read it, close it. With the agent, each iteration is a new stream whose first read needs its call site:
     * from the call-site tag, or (agent option {@code tags=false}) from a stack walk.
     */
    @Benchmark
    public int openReadClose16kChannel() throws IOException {
        try (FileChannel ch = FileChannel.open(small, StandardOpenOption.READ)) {
            smallBuffer.clear();
            return ch.read(smallBuffer, 0);
        }
    }

    /** The same with a FileInputStream: read until EOF (two reads). */
    @Benchmark
    public int openReadClose16kStream() throws IOException {
        int total = 0;
        try (FileInputStream in = new FileInputStream(small.toFile())) {
            for (int n; (n = in.read(smallArray)) > 0; ) {
                total += n;
            }
        }
        return total;
    }

    public static void main(String[] args) throws Exception {
        String jar = Paths.get(System.getProperty("hotpath.agent.jar", "../agent/target/hotpath-agent.jar"))
                .toAbsolutePath().normalize().toString();
        if (!Files.exists(Paths.get(jar))) {
            throw new IllegalStateException(jar + " not found: build it with mvn -pl agent package");
        }
        Map<String, Double> without = run(null);
        Map<String, Double> walks = run("-javaagent:" + jar + "=tags=false");
        Map<String, Double> with = run("-javaagent:" + jar);
        System.out.println();
        System.out.printf("%-32s %12s %16s %12s %10s %8s%n", "benchmark", "no agent ns", "agent, walks ns",
                "agent ns", "ratio walks", "ratio");
        for (Map.Entry<String, Double> e : without.entrySet()) {
            double k = walks.get(e.getKey());
            double w = with.get(e.getKey());
            System.out.printf("%-32s %12.1f %16.1f %12.1f %10.3f %8.3f%n", e.getKey(), e.getValue(), k, w,
                    k / e.getValue(), w / e.getValue());
        }
    }

    private static Map<String, Double> run(String agentArg) throws Exception {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(AgentOverheadBenchmark.class.getName() + "\\." + System.getProperty("bench.include", ""))
                .forks(Integer.getInteger("bench.forks", 2))
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(Integer.getInteger("bench.seconds", 1)))
                .measurementIterations(Integer.getInteger("bench.iterations", 5))
                .measurementTime(TimeValue.seconds(Integer.getInteger("bench.seconds", 1)))
                .jvmArgs("-Xmx256m");
        if (agentArg != null) {
            b.jvmArgsAppend(agentArg);
        }
        Collection<RunResult> results = new Runner(b.build()).run();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            scores.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        return scores;
    }
}
