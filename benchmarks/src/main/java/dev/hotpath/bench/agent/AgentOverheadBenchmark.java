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
 * Per-operation cost of the hotpath agent: a 128-byte {@code FileOutputStream.write} and a 4 KiB positional
 * {@code FileChannel.read} (page cache), each measured in forked JVMs without and with {@code -javaagent}, in the same
 * run, and printed as a ratio. Every operation is recorded when the agent is on (latency, bytes, call site).
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -o -pl agent,benchmarks -am package -DskipTests
 * mvn -B -q -o -pl benchmarks exec:exec -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath dev.hotpath.bench.agent.AgentOverheadBenchmark"
 * </pre>
 * System properties: {@code hotpath.agent.jar} (default {@code ../agent/target/hotpath-agent.jar}),
 * {@code bench.forks} (2), {@code bench.iterations} (5), {@code bench.seconds} (1).
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

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("hotpath-bench");
        Path data = dir.resolve("data.bin");
        Files.write(data, new byte[FILE_SIZE]);
        channel = FileChannel.open(data, StandardOpenOption.READ);
        out = new FileOutputStream(dir.resolve("log.bin").toFile());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        out.close();
        channel.close();
        Files.deleteIfExists(dir.resolve("data.bin"));
        Files.deleteIfExists(dir.resolve("log.bin"));
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

    public static void main(String[] args) throws Exception {
        String jar = Paths.get(System.getProperty("hotpath.agent.jar", "../agent/target/hotpath-agent.jar"))
                .toAbsolutePath().normalize().toString();
        if (!Files.exists(Paths.get(jar))) {
            throw new IllegalStateException(jar + " not found: build it with mvn -pl agent package");
        }
        Map<String, Double> without = run(null);
        Map<String, Double> with = run("-javaagent:" + jar);
        System.out.println();
        System.out.printf("%-32s %12s %12s %8s%n", "benchmark", "no agent ns", "agent ns", "ratio");
        for (Map.Entry<String, Double> e : without.entrySet()) {
            double w = with.get(e.getKey());
            System.out.printf("%-32s %12.1f %12.1f %8.3f%n", e.getKey(), e.getValue(), w, w / e.getValue());
        }
    }

    private static Map<String, Double> run(String agentArg) throws Exception {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(AgentOverheadBenchmark.class.getName() + "\\.")
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
