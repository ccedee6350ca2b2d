package dev.hotpath.bench.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.jfr.JfrIngester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.pipeline.Analysis;
import dev.hotpath.analyzer.pipeline.AnalysisOptions;
import dev.hotpath.analyzer.pipeline.Analyzer;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * hotpath's JFR path against a bare {@code jdk.jfr.consumer.RecordingFile} loop (every event and its top frame) and
 * against JDK Mission Control 9.1.2 (its loader plus all its rules, evaluated in parallel on every core), on a dense
 * recording made here by a real JVM ({@link DenseRecordingApp}). Modes: {@code bare}; {@code hotpath-ingest} (the JFR
 * ingester alone); {@code hotpath-analyze} (what {@code hotpath analyze FILE} does: detection, SHA-256, ingest, every
 * rule; the chunks of the recording read in parallel on every core); {@code hotpath-analyze-serial} (the same with
 * {@code -Dhotpath.jfr.threads=1}, one chunk after the other); {@code hotpath-analyze-jdk} (the same with
 * {@code -Dhotpath.jfr.reader=jdk}: every chunk through {@code RecordingFile} instead of hotpath's own chunk reader);
 * {@code jmc}. Each runs in its own JVM so that its peak RSS (VmHWM) is its own, with {@code -Xmx} as given
 * (default 512m; JMC gets {@code jmcXmx}, default 4g, as it holds every event); one warm-up round, then {@code runs}
 * measured rounds, medians reported with ratios to the bare loop.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.hotpath.bench.jfr.JfrIngestBench \
 *     [seconds=20] [runs=3] [recording.jfr|-] [xmx=512m] [jmcXmx=4g] [modes=bare,hotpath-ingest,hotpath-analyze,jmc]
 * </pre>
 */
public final class JfrIngestBench {
    static final String[] MODES = {"bare", "hotpath-ingest", "hotpath-analyze", "jmc"};

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Path.of(args[2]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String xmx = args.length > 3 ? args[3] : "512m";
        String jmcXmx = args.length > 4 ? args[4] : "4g";
        String[] modes = args.length > 5 ? args[5].split(",") : MODES;
        Path recording;
        if (args.length > 2 && !args[2].equals("-")) {
            recording = Path.of(args[2]);
        } else {
            recording = Files.createTempFile("hotpath-dense", ".jfr");
            record(recording, seconds);
        }
        System.out.printf("recording %s: %.1f MB%n", recording, Files.size(recording) / 1e6);
        long[][] ms = new long[modes.length][runs];
        long[][] rss = new long[modes.length][runs];
        for (int round = -1; round < runs; round++) {
            for (int m = 0; m < modes.length; m++) {
                long[] r = spawn(modes[m], recording, modes[m].equals("jmc") ? jmcXmx : xmx);
                if (round >= 0) {
                    ms[m][round] = r[0];
                    rss[m][round] = r[1];
                }
            }
        }
        long bareMs = median(ms[0]);
        long bareRss = median(rss[0]);
        System.out.printf("%-22s %10s %12s %10s %10s%n", "reader", "median ms", "peak RSS MB", "time/bare", "RSS/bare");
        for (int m = 0; m < modes.length; m++) {
            System.out.printf("%-22s %10d %12.0f %10.2f %10.2f   runs ms=%s%n", modes[m], median(ms[m]),
                    median(rss[m]) / 1024.0, (double) median(ms[m]) / bareMs, (double) median(rss[m]) / bareRss,
                    Arrays.toString(ms[m]));
        }
        ratios(modes, ms, rss);
    }

    /** hotpath-analyze against JMC and the bare loop, as README quotes them, with the machine's load average. */
    static void ratios(String[] modes, long[][] ms, long[][] rss) throws Exception {
        int analyze = Arrays.asList(modes).indexOf("hotpath-analyze");
        int jmc = Arrays.asList(modes).indexOf("jmc");
        int bare = Arrays.asList(modes).indexOf("bare");
        if (analyze >= 0 && jmc >= 0) {
            System.out.printf("hotpath-analyze vs jmc: %.2fx faster, %.2fx its peak RSS%n",
                    (double) median(ms[jmc]) / median(ms[analyze]), (double) median(rss[analyze]) / median(rss[jmc]));
        }
        if (analyze >= 0 && bare >= 0) {
            System.out.printf("hotpath-analyze vs bare loop: %.2fx its time%n",
                    (double) median(ms[analyze]) / median(ms[bare]));
        }
        System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).trim()
                + ", cores: " + Runtime.getRuntime().availableProcessors());
    }

    static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void record(Path out, int seconds) throws Exception {
        List<String> cmd = List.of(java(), "-XX:StartFlightRecording=filename=" + out
                        + ",settings=profile,jdk.FileRead#threshold=0ms,jdk.FileWrite#threshold=0ms",
                "-cp", System.getProperty("java.class.path"), DenseRecordingApp.class.getName(),
                Integer.toString(seconds));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("recording JVM failed: " + cmd);
        }
    }

    /** Runs one reader in a fresh JVM; returns {elapsed ms, VmHWM kB}. */
    static long[] spawn(String mode, Path recording, String xmx) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                JfrIngestBench.class.getName(), "--child", mode, recording.toString()));
        File out = File.createTempFile("bench", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(mode + " failed: " + Files.readString(out.toPath()));
            }
            String line = Files.readAllLines(out.toPath()).stream().filter(l -> l.startsWith("ms=")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(mode + ": no result"));
            String[] kv = line.split(" ");
            return new long[] {Long.parseLong(kv[0].substring(3)), Long.parseLong(kv[1].substring(4))};
        } finally {
            p.destroyForcibly();
            out.delete();
        }
    }

    static void child(String mode, Path file) throws Exception {
        long t0 = System.nanoTime();
        long n = 0;
        switch (mode) {
            case "bare" -> {
                long frames = 0;
                try (RecordingFile rf = new RecordingFile(file)) {
                    while (rf.hasMoreEvents()) {
                        RecordedEvent e = rf.readEvent();
                        n++;
                        RecordedStackTrace st = e.getStackTrace();
                        if (st != null && !st.getFrames().isEmpty()) {
                            RecordedFrame top = st.getFrames().get(0);
                            frames += top.getMethod().getName().length();
                        }
                    }
                }
                n += frames == 0 ? 0 : 1;
            }
            case "hotpath-ingest" -> {
                Artifact a = new Artifact(file.toAbsolutePath(), ArtifactType.JFR, Files.size(file), null, Map.of());
                List<Summary> got = new ArrayList<>();
                IngestContext ctx = new IngestContext() {
                    @Override
                    public synchronized void add(Summary summary) {
                        got.add(summary);
                    }

                    @Override
                    public void note(String line) {
                    }
                };
                new JfrIngester().ingest(a, ctx);
                n = got.size();
            }
            case "hotpath-analyze-serial" -> {
                // the same, with the recording's chunks read one after the other (JfrIngester reads the property)
                System.setProperty("hotpath.jfr.threads", "1");
                Analysis analysis = Analyzer.withInstalledPlugins().analyze(List.of(file), AnalysisOptions.defaults());
                if (!analysis.problems().isEmpty()) {
                    throw new IllegalStateException(analysis.problems().toString());
                }
                n = analysis.run().findings().size();
            }
            case "hotpath-analyze-jdk" -> {
                // the same through RecordingFile, hotpath's chunk reader off (its fallback path, as before it)
                System.setProperty("hotpath.jfr.reader", "jdk");
                Analysis analysis = Analyzer.withInstalledPlugins().analyze(List.of(file), AnalysisOptions.defaults());
                if (!analysis.problems().isEmpty()) {
                    throw new IllegalStateException(analysis.problems().toString());
                }
                n = analysis.run().findings().size();
            }
            case "hotpath-analyze" -> {
                Analysis analysis = Analyzer.withInstalledPlugins().analyze(List.of(file), AnalysisOptions.defaults());
                if (!analysis.problems().isEmpty()) {
                    throw new IllegalStateException(analysis.problems().toString());
                }
                n = analysis.run().findings().size();
            }
            case "jmc" -> {
                IItemCollection items = JfrLoaderToolkit.loadEvents(file.toFile());
                Collection<IRule> rules = RuleRegistry.getRules();
                Map<IRule, Future<IResult>> results = RulesToolkit.evaluateParallel(rules, items,
                        IPreferenceValueProvider.DEFAULT_VALUES, Runtime.getRuntime().availableProcessors());
                for (Future<IResult> f : results.values()) {
                    IResult r = f.get();
                    n += r.getSeverity().compareTo(org.openjdk.jmc.flightrecorder.rules.Severity.INFO) >= 0 ? 1 : 0;
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("ms=" + ms + " hwm=" + hwmKb() + " n=" + n);
    }

    static long hwmKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
