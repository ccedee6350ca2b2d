package dev.hotpath.bench.record;

import dev.hotpath.cli.RecordCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU overhead of {@code hotpath record}'s own sampling (RSS timeline every second, NMT summary + summary.diff every
 * {@code --nmt-interval}, bookkeeping) on a fixed CPU workload, as a ratio to the same workload run plainly with the
 * same JVM flags (NMT's own cost is the chosen evidence's cost, not record's, so both sides run with NMT on).
 *
 * <p>Total CPU = the workload JVM's own process CPU time (it prints it before exiting) + this JVM's CPU time spent
 * while recording (the sampler threads). Runs alternate plain / recorded after one warm-up pair; the report gives
 * each pair's ratio and the median.
 *
 * <p>Run: {@code mvn -B -q -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
 * && java --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED -cp benchmarks/target/classes:cli/target/classes:$(cat /tmp/bench.cp)
 * dev.hotpath.bench.record.RecordOverheadBench [rounds] [pairs] [nmtInterval]}
 */
public final class RecordOverheadBench {
    private RecordOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 120_000;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String nmtInterval = args.length > 2 ? args[2] : "5s";
        Path work = Files.createTempDirectory("hotpath-bench-record");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(CpuWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> workload = List.of(java, "-XX:NativeMemoryTracking=summary", "-Xmx256m", "-cp", cp,
                CpuWorkload.class.getName(), Integer.toString(rounds));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] ratios = new double[pairs];
        System.out.printf("record overhead: workload %d rounds of SHA-256/64KiB, NMT every %s, RSS every 1s%n", rounds, nmtInterval);
        for (int i = -1; i < pairs; i++) {
            long plain = plain(workload, work.resolve("plain-" + i + ".log"));
            Path log = work.resolve("rec-" + i + ".log");
            long self0 = os.getProcessCpuTime();
            List<String> a = new ArrayList<>(List.of("--out", work.resolve("run-" + i).toString(), "--nmt",
                    "--nmt-interval", nmtInterval, "--no-progress", "--app-log", log.toString(), "--"));
            a.addAll(workload.subList(0, 1));
            a.addAll(workload.subList(2, workload.size())); // record adds -XX:NativeMemoryTracking=summary itself
            StringWriter sink = new StringWriter();
            CommandLine cl = new CommandLine(new RecordCommand());
            cl.setOut(new PrintWriter(sink));
            cl.setErr(new PrintWriter(sink));
            int code = cl.execute(a.toArray(new String[0]));
            long self = os.getProcessCpuTime() - self0;
            if (code != 0) {
                throw new IllegalStateException("record exited " + code + ": " + sink);
            }
            long child = cpuNanos(log);
            double ratio = (double) (child + self) / plain;
            if (i >= 0) {
                ratios[i] = ratio;
            }
            System.out.printf("%s plain %.2f s CPU | recorded: workload %.2f s + record %.3f s = %.2f s | ratio %.3f%n",
                    i < 0 ? "warm-up" : "pair " + (i + 1), plain / 1e9, child / 1e9, self / 1e9, (child + self) / 1e9, ratio);
        }
        Arrays.sort(ratios);
        System.out.printf("median ratio (recorded / plain total CPU): %.3f  (min %.3f, max %.3f)%n",
                ratios[pairs / 2], ratios[0], ratios[pairs - 1]);
    }

    private static long plain(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("workload did not finish");
        }
        return cpuNanos(log);
    }

    private static long cpuNanos(Path log) throws IOException {
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("cpuNanos=")) {
                return Long.parseLong(line.substring("cpuNanos=".length(), line.indexOf(' ')));
            }
        }
        throw new IllegalStateException(log + " has no cpuNanos line");
    }
}
