package dev.hotpath.cli.record;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.nativemem.JemallocProfileSummary;
import dev.hotpath.analyzer.nativemem.NativeMemSummary;
import dev.hotpath.analyzer.nativemem.RssSeries;
import dev.hotpath.analyzer.rules.nativemem.DirectMemoryGrowthRule;
import dev.hotpath.analyzer.rules.nativemem.NmtAnyCategoryGrowthRule;
import dev.hotpath.analyzer.rules.nativemem.ThreadLeakRule;
import dev.hotpath.analyzer.rules.nativemem.UntrackedNativeGrowthRule;
import dev.hotpath.cli.RecordCommand;
import dev.hotpath.cli.record.testapp.NativeLeakApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real JVMs with known native faults, each recorded by {@code hotpath record} (in-process through picocli) for
 * 20 s, in three batches of up to three at once to keep the suite short; then the native ingesters and rules run on
 * each run directory. The Deflater, direct-buffer, thread and clean cases each run on a JDK 25 host too.
 */
class NativeLeakRecordTest {
    static final Path JDK17 = Path.of(System.getProperty("java.home"));
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    /** zlib's deflate state at level 6, windowBits 15, memLevel 8: window, prev, head (64 KiB each), pending 64 KiB, state ~6 KB. */
    static final double DEFLATER_BYTES = 4 * 65536 + 5_900;
    /** Four Inflaters a tick: zlib's inflate state (~7.1 KB) and, at the first inflate, its 32 KiB window each. */
    static final double INFLATER_WINDOW_BYTES = 4 * 32768;
    static final double INFLATER_BYTES = 4 * (32768 + 7_100);

    @TempDir
    static Path dir;
    static final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();
    static final Map<String, String> outputs = new ConcurrentHashMap<>();

    /** @param batch runs of a batch record at the same time; batches one after the other (2 cores, shared) */
    record Run(String name, Path jdk, String mode, List<String> recordFlags, int batch, List<String> heapFlags) {
        Run(String name, Path jdk, String mode, List<String> recordFlags, int batch) {
            this(name, jdk, mode, recordFlags, batch, List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch"));
        }
    }

    static final List<Run> RUNS = List.of(
            new Run("deflater-nativemem", JDK17, "deflater", List.of("--nmt", "--async-profiler", "nativemem"), 1),
            new Run("direct", JDK17, "direct", List.of("--nmt", "--async-profiler", "nativemem"), 1),
            new Run("thread", JDK25, "thread", List.of("--nmt"), 1),
            new Run("deflater-jemalloc", JDK17, "deflater", List.of("--nmt", "--jemalloc", "--heap-dumps", "2"), 2),
            new Run("clean", JDK25, "clean", List.of(), 2),
            // a heap committed in full at start but touched only as allocation reaches it: RSS climbs, nothing leaks
            new Run("heap-touch", JDK17, "touch", List.of("--nmt"), 2, List.of("-Xms256m", "-Xmx256m")),
            // 40,000 new interned strings a second, kept: the StringTable grows (NMT "Symbol")
            new Run("intern-25", JDK25, "intern", List.of("--nmt"), 2, List.of("-Xms256m", "-Xmx256m")),
            new Run("deflater-nativemem-25", JDK25, "deflater", List.of("--nmt", "--async-profiler", "nativemem"), 3),
            new Run("direct-25", JDK25, "direct", List.of("--nmt", "--async-profiler", "nativemem"), 3),
            new Run("inflater-nativemem", JDK17, "inflater", List.of("--nmt", "--async-profiler", "nativemem"), 3));

    @BeforeAll
    static void recordAll() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RUNS.size());
        try {
          for (int batch = 1; batch <= 3; batch++) {
            List<Future<?>> fs = new ArrayList<>();
            for (Run r : RUNS) {
                if (r.batch() != batch) {
                    continue;
                }
                fs.add(pool.submit(() -> {
                    List<String> args = new ArrayList<>(List.of("--out", dir.resolve(r.name()).toString(),
                            "--duration", "20s", "--nmt-interval", "1s", "--no-progress",
                            // the child must not write to this JVM's stdout: surefire talks to Maven over it
                            "--app-log", dir.resolve(r.name() + ".log").toString()));
                    args.addAll(r.recordFlags());
                    args.add("--");
                    args.add(r.jdk().resolve("bin/java").toString());
                    args.addAll(r.heapFlags());
                    args.addAll(List.of("-XX:MaxDirectMemorySize=1g", "-cp", NativeLeakApp.classPath(),
                            NativeLeakApp.class.getName(), r.mode(), dir.resolve(r.name() + ".status").toString()));
                    StringWriter out = new StringWriter();
                    CommandLine cl = new CommandLine(new RecordCommand());
                    cl.setOut(new PrintWriter(out));
                    cl.setErr(new PrintWriter(out));
                    exitCodes.put(r.name(), cl.execute(args.toArray(new String[0])));
                    outputs.put(r.name(), out.toString());
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
          }
        } finally {
            pool.shutdownNow();
        }
    }

    /** MB/min the app leaked, from its status file: units × bytes per unit over its run. */
    static double leakedMbPerMin(String run, double bytesPerUnit) throws Exception {
        String s = Files.readString(dir.resolve(run + ".status")).trim();
        long n = Long.parseLong(s.replaceAll(".*created=(\\d+).*", "$1"));
        long t0 = Long.parseLong(s.replaceAll(".*firstMillis=(\\d+).*", "$1"));
        long t1 = Long.parseLong(s.replaceAll(".*lastMillis=(\\d+).*", "$1"));
        return n * bytesPerUnit / (1024.0 * 1024.0) / ((t1 - t0) / 60_000.0);
    }

    static double num(Finding f, String key) {
        return ((Number) f.evidence().get(key)).doubleValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deflater-nativemem", "deflater-nativemem-25"})
    void deflaterLeakIsNamedWithItsJavaStackFromNativemem(String run) throws Exception {
        assertThat(exitCodes.get(run)).as(outputs.get(run)).isZero();
        assertThat(Files.readString(dir.resolve(run + "/manifest.json")))
                .contains(run.endsWith("-25") ? "\"jdk\" : \"25" : "\"jdk\" : \"17");
        NativeAnalysis a = NativeAnalysis.of(dir.resolve(run));
        assertThat(a.summaries).hasAtLeastOneElementOfType(NativeMemSummary.class);
        List<Finding> f = a.byId(UntrackedNativeGrowthRule.ID);
        assertThat(f).as(a.findings.toString()).hasSize(1);
        Finding leak = f.get(0);
        double expected = leakedMbPerMin(run, DEFLATER_BYTES);
        assertThat(leak.evidence().get("culprit")).isEqualTo(NativeLeakApp.DEFLATER_SITE);
        assertThat(leak.evidence().get("culpritLeaf")).asString().startsWith("deflateInit2_ (");
        assertThat(String.valueOf(leak.evidence().get("culpritStack"))).contains("java.util.zip.Deflater.<init>:");
        assertThat(num(leak, "culpritMbPerMin")).isBetween(expected * 0.7, expected * 1.3);
        assertThat(num(leak, "untrackedGrowthMbPerMin")).isBetween(expected * 0.3, expected * 1.3);
        assertThat(leak.title()).startsWith("Native memory outside the JVM's accounting grows ")
                .endsWith(" MB/min under " + NativeLeakApp.DEFLATER_SITE);
        assertThat(leak.recommendation()).startsWith("Call end() on every java.util.zip.Deflater");
        assertThat(leak.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.byId(DirectMemoryGrowthRule.ID)).isEmpty();
        assertThat(a.byId(ThreadLeakRule.ID)).isEmpty();
    }

    @Test
    void inflaterLeakIsNamedAtTheInflateThatMallocsItsWindow() throws Exception {
        String run = "inflater-nativemem";
        assertThat(exitCodes.get(run)).as(outputs.get(run)).isZero();
        NativeAnalysis a = NativeAnalysis.of(dir.resolve(run));
        List<Finding> f = a.byId(UntrackedNativeGrowthRule.ID);
        assertThat(f).as(a.findings.toString()).hasSize(1);
        Finding leak = f.get(0);
        System.out.println("NativeLeakRecordTest: inflater leak: " + leak.title() + " " + leak.evidence());
        assertThat(leak.evidence().get("culprit")).isEqualTo(NativeLeakApp.INFLATE_SITE);
        // the window's malloc is in a static zlib function async-profiler cannot name: its frame is the library's
        // path, which must not pass for the application frame
        assertThat(leak.evidence().get("culpritLeaf")).asString().startsWith("inflate (");
        assertThat(String.valueOf(leak.evidence().get("culpritStack"))).contains("java.util.zip.Inflater.inflate");
        double window = leakedMbPerMin(run, INFLATER_WINDOW_BYTES);
        assertThat(num(leak, "culpritMbPerMin")).isBetween(window * 0.7, window * 1.3);
        double all = leakedMbPerMin(run, INFLATER_BYTES);
        assertThat(num(leak, "untrackedGrowthMbPerMin")).isBetween(all * 0.3, all * 1.3);
        assertThat(leak.title()).endsWith(" MB/min under " + NativeLeakApp.INFLATE_SITE);
        assertThat(leak.recommendation()).startsWith("Call end() on every java.util.zip.Inflater created at "
                + NativeLeakApp.INFLATE_SITE + " ");
        assertThat(a.byId(DirectMemoryGrowthRule.ID)).isEmpty();
        assertThat(a.byId(ThreadLeakRule.ID)).isEmpty();
    }

    @Test
    void deflaterLeakUnderJemallocIsNamedByItsJniSymbol() throws Exception {
        assertThat(exitCodes.get("deflater-jemalloc")).as(outputs.get("deflater-jemalloc")).isZero();
        Path run = dir.resolve("deflater-jemalloc");
        assertThat(run.resolve("jemalloc-stats.txt")).exists();
        assertThat(run.resolve("heap/heap-01.hprof")).exists();
        assertThat(run.resolve("heap/heap-02.hprof")).exists();
        NativeAnalysis a = NativeAnalysis.of(run);
        assertThat(a.summaries).hasAtLeastOneElementOfType(JemallocProfileSummary.class);
        List<Finding> f = a.byId(UntrackedNativeGrowthRule.ID);
        assertThat(f).as(a.findings.toString()).hasSize(1);
        Finding leak = f.get(0);
        assertThat(leak.evidence().get("culprit")).isEqualTo("Java_java_util_zip_Deflater_init");
        assertThat(leak.evidence().get("culpritLeaf")).isEqualTo("deflateInit2_");
        double expected = leakedMbPerMin("deflater-jemalloc", DEFLATER_BYTES);
        assertThat(num(leak, "untrackedGrowthMbPerMin")).isBetween(expected * 0.3, expected * 1.3);
        assertThat(leak.title()).endsWith(" MB/min under Java_java_util_zip_Deflater_init");
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "direct-25"})
    void growingDirectBuffersAreReportedFromNmtOther(String run) throws Exception {
        assertThat(exitCodes.get(run)).as(outputs.get(run)).isZero();
        NativeAnalysis a = NativeAnalysis.of(dir.resolve(run));
        List<Finding> f = a.byId(DirectMemoryGrowthRule.ID);
        assertThat(f).as(a.findings.toString()).hasSize(1);
        double expected = leakedMbPerMin(run, 256 * 1024);
        assertThat(num(f.get(0), "growthMbPerMin")).isBetween(expected * 0.7, expected * 1.3);
        assertThat(f.get(0).evidence().get("culprit")).isEqualTo(NativeLeakApp.DIRECT_SITE);
        assertThat(f.get(0).title()).startsWith("Direct memory (NMT Other) grows ")
                .endsWith(" MB/min allocated at " + NativeLeakApp.DIRECT_SITE);
        // NMT sees direct memory: it is not "outside the JVM's accounting"
        assertThat(a.byId(UntrackedNativeGrowthRule.ID)).isEmpty();
    }

    @Test
    void threadLeakOnJdk25IsReportedWithTheThreadCount() throws Exception {
        assertThat(exitCodes.get("thread")).isZero();
        assertThat(Files.readString(dir.resolve("thread/manifest.json"))).contains("\"jdk\" : \"25");
        NativeAnalysis a = NativeAnalysis.of(dir.resolve("thread"));
        List<Finding> f = a.byId(ThreadLeakRule.ID);
        assertThat(f).as(a.findings.toString()).hasSize(1);
        // 20 threads/s = 1200/min
        double expected = leakedMbPerMin("thread", 1024 * 1024);
        assertThat(num(f.get(0), "threadsPerMin")).isBetween(expected * 0.7, expected * 1.3);
        assertThat(f.get(0).title()).startsWith("Thread leak: ");
        assertThat((long) (Long) f.get(0).evidence().get("threadsEnd") - (Long) f.get(0).evidence().get("threadsStart"))
                .isGreaterThan(50);
    }

    @Test
    void cleanProgramOnJdk25GetsNoNativeWarning() throws Exception {
        assertThat(exitCodes.get("clean")).isZero();
        Path run = dir.resolve("clean");
        assertThat(run.resolve("recording.jfr")).exists();
        assertThat(run.resolve("gc.log")).exists();
        NativeAnalysis a = NativeAnalysis.of(run);
        assertThat(a.findings).isEmpty();
        assertThat(a.summaries).isNotEmpty();
    }

    @Test
    void internedStringsThatNeverStopAreReportedAsNmtSymbolGrowth() throws Exception {
        assertThat(exitCodes.get("intern-25")).as(outputs.get("intern-25")).isZero();
        NativeAnalysis a = NativeAnalysis.of(dir.resolve("intern-25"));
        List<Finding> natives = a.findings.stream().filter(f -> f.category() == Category.NATIVE).toList();
        assertThat(natives).as(a.findings.toString()).hasSize(1);
        Finding f = natives.get(0);
        assertThat(f.id()).isEqualTo(NmtAnyCategoryGrowthRule.ID);
        assertThat(f.evidence().get("nmtCategory")).isEqualTo("Symbol");
        double perMin = num(f, "growthMbPerMin");
        assertThat(perMin).isGreaterThanOrEqualTo(5.0);
        assertThat(f.severity()).isEqualTo(perMin >= 50 ? Severity.CRITICAL : Severity.WARNING);
        assertThat(num(f, "committedEndMb") - num(f, "committedStartMb")).isGreaterThanOrEqualTo(8.0);
        assertThat(f.title()).isEqualTo("NMT category 'Symbol' grows " + String.format(java.util.Locale.ROOT, "%.1f", perMin) + " MB/min");
        // record takes NMT summaries, so no native call sites: the finding says how to get them
        assertThat(f.summary()).endsWith(" No NMT detail output in the run names the native call sites.");
        assertThat(f.recommendation()).startsWith("The symbol and interned-string tables grow: look for String.intern() of unbounded values")
                .endsWith("`jcmd <pid> VM.native_memory detail.diff`.");
        // the other leaks are named by their own rules, and the clean runs stay clean (checked above and below)
        for (String other : List.of("direct", "thread", "heap-touch")) {
            assertThat(NativeAnalysis.of(dir.resolve(other)).byId(NmtAnyCategoryGrowthRule.ID)).as(other).isEmpty();
        }
    }

    @Test
    void heapPagesTouchedDuringWarmUpAreNoNativeLeak() throws Exception {
        assertThat(exitCodes.get("heap-touch")).as(outputs.get("heap-touch")).isZero();
        NativeAnalysis a = NativeAnalysis.of(dir.resolve("heap-touch"));
        RssSeries rss = a.summaries.stream().filter(RssSeries.class::isInstance).map(RssSeries.class::cast)
                .findFirst().orElseThrow();
        // the scenario has teeth: RSS really climbs by >= 100 MB while NMT's committed heap stays at 256 MB (the old
        // model, RSS slope minus NMT slope, called that a critical native leak)
        long minKb = Long.MAX_VALUE;
        long maxKb = 0;
        for (long kb : rss.rssKb()) {
            if (kb > 0) {
                minKb = Math.min(minKb, kb);
                maxKb = Math.max(maxKb, kb);
            }
        }
        assertThat(maxKb - minKb).isGreaterThan(100 * 1024);
        assertThat(a.findings.stream().filter(f -> f.category() == Category.NATIVE).toList()).isEmpty();
    }
}
