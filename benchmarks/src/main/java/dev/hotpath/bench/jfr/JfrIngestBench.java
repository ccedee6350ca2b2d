package dev.hotpath.bench.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.jfr.JfrIngester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Summary;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * hotpath's JFR ingestion against a bare {@code jdk.jfr.consumer.RecordingFile} loop (every event and its top frame),
 * on a dense recording made here by a real JVM ({@link DenseRecordingApp}). Each reader runs in its own JVM
 * ({@code -Xmx512m}) so that its peak RSS (VmHWM) is its own; one warm-up round, then {@code runs} measured rounds,
 * medians reported with ratios to the bare loop.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am compile
 * java -cp benchmarks/target/classes:analyzer/target/classes dev.hotpath.bench.jfr.JfrIngestBench [seconds=20] [runs=3] [recording.jfr]
 * </pre>
 */
public final class JfrIngestBench {
    static final String[] MODES = {"bare", "hotpath", "hotpath-eventstream"};

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Path.of(args[2]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path recording;
        if (args.length > 2) {
            recording = Path.of(args[2]);
        } else {
            recording = Files.createTempFile("hotpath-dense", ".jfr");
            record(recording, seconds);
        }
        System.out.printf("recording %s: %.1f MB%n", recording, Files.size(recording) / 1e6);
        long[][] ms = new long[MODES.length][runs];
        long[][] rss = new long[MODES.length][runs];
        for (int round = -1; round < runs; round++) {
            for (int m = 0; m < MODES.length; m++) {
                long[] r = spawn(MODES[m], recording);
                if (round >= 0) {
                    ms[m][round] = r[0];
                    rss[m][round] = r[1];
                }
            }
        }
        long bareMs = median(ms[0]);
        long bareRss = median(rss[0]);
        System.out.printf("%-22s %10s %12s %10s %10s%n", "reader", "median ms", "peak RSS MB", "time/bare", "RSS/bare");
        for (int m = 0; m < MODES.length; m++) {
            System.out.printf("%-22s %10d %12.0f %10.2f %10.2f   runs ms=%s%n", MODES[m], median(ms[m]),
                    median(rss[m]) / 1024.0, (double) median(ms[m]) / bareMs, (double) median(rss[m]) / bareRss,
                    Arrays.toString(ms[m]));
        }
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
    static long[] spawn(String mode, Path recording) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
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
            case "hotpath", "hotpath-eventstream" -> {
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
                if (mode.equals("hotpath")) {
                    new JfrIngester().ingest(a, ctx);
                } else {
                    new JfrIngester().ingestStreaming(a, ctx);
                }
                n = got.size();
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
