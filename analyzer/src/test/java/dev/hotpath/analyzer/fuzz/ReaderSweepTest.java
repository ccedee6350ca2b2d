package dev.hotpath.analyzer.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deterministic mutation sweep of every reader: at least 10,000 inputs per format, made from the committed seeds
 * (artifacts of real JVMs, see {@code src/test/resources/dev/hotpath/analyzer/fuzz/seeds/README.md}) by truncation at
 * every record boundary and at regular steps, bit flips, length fields set to 0 / -1 / huge at record starts and in headers, records
 * repeated, swapped and dropped, and (text formats) hostile text. Every input must end in a result or a one-line
 * {@code UnusableInputException} within {@link #PER_INPUT}; the surefire execution {@code fuzz-sweep} runs this under
 * a small {@code -Xmx}, so a reader that sizes memory by a length field fails here as an OutOfMemoryError.
 *
 * <p>Each format's figures are appended to {@code target/fuzz-sweep.txt} (README's reliability table comes from it).
 */
class ReaderSweepTest {
    static final int PER_FORMAT = 10_000;
    private static final Duration PER_INPUT = Duration.ofSeconds(20);
    private static final long RANDOM_SEED = 0x5eed_2027L;

    @TempDir
    Path work;

    /** What each committed seed reads to: the kinds of the summaries (for a manifest: its entries' types). */
    private static final Map<String, List<String>> SEED_KINDS = Map.ofEntries(
            Map.entry("jfr/seed-jdk17.jfr", List.of("gc.pauses", "gc.old-objects", "profile.cpu", "profile.alloc",
                    "allocation", "locks", "profile.lock", "threads", "cpu", "config", "io.jfr")),
            Map.entry("jfr/seed-jdk25.jfr", List.of("gc.pauses", "gc.old-objects", "profile.cpu", "profile.alloc",
                    "allocation", "locks", "profile.lock", "threads", "cpu", "config", "io.jfr")),
            Map.entry("hprof/seed-jdk17.hprof", List.of("heap.analysis")),
            Map.entry("hprof/seed-jdk25.hprof", List.of("heap.analysis")),
            Map.entry("hprofGz/seed-jdk17.hprof.gz", List.of("heap.analysis")),
            Map.entry("nmt/seed-summary.txt", List.of("native.nmt")),
            Map.entry("nmt/seed-summary-diff.txt", List.of("native.nmt")),
            Map.entry("jemallocProfile/seed-moved-host.heap", List.of("native.jemalloc-profile")),
            Map.entry("jemallocStats/seed.txt", List.of("native.jemalloc-stats")),
            Map.entry("gcLog/seed-serial.log", List.of("gc.pauses")),
            Map.entry("gcLog/seed-g1-record.log", List.of("gc.pauses")),
            Map.entry("collapsed/seed-itimer.collapsed", List.of("profile.cpu")),
            Map.entry("agentSnapshot/seed.json", List.of("io.snapshot")),
            Map.entry("fio/seed-randread.json", List.of("io.device")),
            Map.entry("runManifest/seed.json", List.of("gclog", "nmt", "nmt", "rss")));

    @Test
    void everySeedIsReadInFull() throws Exception {
        Map<String, List<String>> read = new LinkedHashMap<>();
        for (Format format : Format.values()) {
            for (Map.Entry<String, byte[]> seed : seeds(format).entrySet()) {
                ReaderTarget.Outcome o = ReaderTarget.read(format, seed.getValue(), work.resolve("seed"));
                read.put(format.method() + "/" + seed.getKey(), o.kinds());
            }
        }
        assertThat(read).containsExactlyInAnyOrderEntriesOf(SEED_KINDS);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Format.class)
    void tenThousandMutantsEndInAResultOrAOneLineError(Format format) throws Exception {
        List<Mutations.Mutation> inputs = mutants(format);
        AtomicLong counter = new AtomicLong();
        MutationSweep.Target target = bytes -> {
            Path dir = work.resolve(format.method() + "-" + counter.incrementAndGet());
            try {
                return ReaderTarget.read(format, bytes, dir);
            } finally {
                // the input file is gone; anything else the reader left in the directory fails the delete
                Files.deleteIfExists(dir);
            }
        };
        MutationSweep.Report report = sweepOnTwoCores(inputs, target);
        String line = format.method() + ": " + inputs.size() + " inputs; outcomes " + report.counts()
                + (report.failures().isEmpty() ? "" : "; failures " + report.failures());
        System.out.println("ReaderSweepTest " + line);
        Files.writeString(Path.of("target", "fuzz-sweep.txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);

        assertThat(report.failures()).isEmpty();
        assertThat(report.total()).isEqualTo(inputs.size()).isGreaterThanOrEqualTo(PER_FORMAT);
        // The sweep reached both sides of the reader: mutants still read, and mutants refused with the one line.
        assertThat(report.count(MutationSweep.Outcome.RESULT)).isPositive();
        assertThat(report.count(MutationSweep.Outcome.UNUSABLE)).isPositive();
        assertThat(report.count(MutationSweep.Outcome.RESULT) + report.count(MutationSweep.Outcome.UNUSABLE))
                .isEqualTo(inputs.size());
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("files left behind by the reader").isEmpty();
        }
    }

    /** The inputs of one format: its seeds' mutants, about equal shares, at least {@link #PER_FORMAT} in all. */
    static List<Mutations.Mutation> mutants(Format format) {
        Map<String, byte[]> seeds = seeds(format);
        List<Mutations.Mutation> all = new ArrayList<>();
        if (format == Format.HPROF_GZ) {
            // Half in compressed space (headers, members, CRCs), half the plain dump's mutants compressed again, which
            // reach the decompressed reader with damage the gzip layer does not catch.
            int half = PER_FORMAT / 2;
            all.addAll(mutants(format, seeds, half));
            for (Mutations.Mutation m : mutants(Format.HPROF, seeds(Format.HPROF), PER_FORMAT - half)) {
                all.add(new Mutations.Mutation("gzip(" + m.name() + ")", () -> gzip(m.bytes())));
            }
            return all;
        }
        return mutants(format, seeds, PER_FORMAT);
    }

    private static List<Mutations.Mutation> mutants(Format format, Map<String, byte[]> seeds, int budget) {
        List<Mutations.Mutation> all = new ArrayList<>();
        int share = (budget + seeds.size() - 1) / seeds.size();
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            byte[] seed = e.getValue();
            int[] boundaries = switch (format) {
                case JFR -> Boundaries.jfr(seed);
                case HPROF -> Boundaries.hprof(seed);
                case HPROF_GZ -> Boundaries.gzip(seed, 256);
                default -> Mutations.lineStarts(seed);
            };
            Mutations m = new Mutations(format.method() + "/" + e.getKey(), seed, boundaries)
                    .seedItself()
                    .truncations(Math.max(1, seed.length / (share / 5)), share / 5)
                    .lengthFieldsAtRecords(format.text() ? 8 : 40)
                    .records(share / 6, RANDOM_SEED + 1);
            switch (format) {
                // chunk header: major/minor u2, then u8 chunk size, constant pool and metadata offsets, times, flags
                case JFR -> m.lengthFields(4, 6, 8, 16, 24, 32, 40, 48, 56, 64);
                // identifier size u4 right after the NUL-terminated version string, then the u8 timestamp
                case HPROF -> m.lengthFields(19, 23, 27);
                // gzip header: flags at 3, mtime at 4; the comment; deflate data
                case HPROF_GZ -> m.lengthFields(3, 4, 8, 10, 36, 40);
                default -> m.hostileText(share / 10, RANDOM_SEED + 2);
            }
            m.bitFlips(Math.max(0, share - m.size()), 4, seed.length, RANDOM_SEED);
            all.addAll(m.all());
        }
        return all;
    }

    /** The committed seeds of a format (its Jazzer inputs directory, minus crash reproducers), by file name. */
    static Map<String, byte[]> seeds(Format format) {
        try {
            Path dir = Path.of(ReaderSweepTest.class.getResource(format.corpus()).toURI());
            Map<String, byte[]> out = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    if (f.getFileName().toString().startsWith("seed")) {
                        out.put(f.getFileName().toString(), Files.readAllBytes(f));
                    }
                }
            }
            assertThat(out).as("seeds of %s", format).isNotEmpty();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two sweeps, one per core, over alternate inputs; the counts and failures merged. */
    private static MutationSweep.Report sweepOnTwoCores(List<Mutations.Mutation> inputs, MutationSweep.Target target)
            throws Exception {
        List<List<Mutations.Mutation>> halves = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < inputs.size(); i++) {
            halves.get(i % 2).add(inputs.get(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<MutationSweep.Report>> parts = new ArrayList<>();
            for (List<Mutations.Mutation> half : halves) {
                parts.add(pool.submit(() -> new MutationSweep(PER_INPUT).run(half, target)));
            }
            Map<MutationSweep.Outcome, Integer> counts = new EnumMap<>(MutationSweep.Outcome.class);
            List<MutationSweep.Failure> failures = new ArrayList<>();
            for (Future<MutationSweep.Report> part : parts) {
                MutationSweep.Report r = part.get();
                r.counts().forEach((k, v) -> counts.merge(k, v, Integer::sum));
                failures.addAll(r.failures());
            }
            return new MutationSweep.Report(counts, failures);
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
