package dev.hotpath.analyzer.jfr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.jfr.apps.ChunkedFaultyApp;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.pipeline.Analysis;
import dev.hotpath.analyzer.pipeline.AnalysisOptions;
import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.report.JsonReport;
import dev.hotpath.analyzer.rules.Rule;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parallel chunk reading gives exactly the serial read's result: the faulty program's recording (rotated every
 * 400 ms, so many chunks; GC, locks, exceptions, threads, I/O, CPU, allocation) analysed with one reader and with several,
 * compared as the full findings JSON, the notes and every summary's stored JSON (time series, first/last times,
 * thread lifetimes, profiles). Every chunk is read on its own whatever the number of workers (see
 * {@link ChunkParts#split} for why), so 1, 3 and 8 workers must agree byte for byte.
 */
class ParallelChunksTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static Path chunked;

    /** The faulty program for 5 s, its recording rotated every 400 ms: a dozen chunks of a real JVM's recording. */
    static synchronized Path chunked() throws Exception {
        if (chunked == null) {
            Path jfr = shared.resolve("chunked.jfr");
            Jvm.run(Jvm.javaHome17(), List.of("-Xmx256m", "-XX:+UseG1GC",
                    "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,exceptions=all"),
                    ChunkedFaultyApp.class, "5000", "400");
            chunked = jfr;
        }
        return chunked;
    }

    static Analyzer analyzer(int jfrThreads) {
        List<Ingester> ingesters = new ArrayList<>();
        for (Ingester i : ServiceLoader.load(Ingester.class, Analyzer.class.getClassLoader())) {
            ingesters.add(i instanceof JfrIngester ? new JfrIngester(jfrThreads) : i);
        }
        List<Rule> rules = new ArrayList<>();
        ServiceLoader.load(Rule.class, Analyzer.class.getClassLoader()).forEach(rules::add);
        return new Analyzer(ingesters, rules, 1);
    }

    /** Everything the analysis says except the run's id and creation time. */
    static String result(Analysis a) throws Exception {
        Map<String, Object> all = new LinkedHashMap<>();
        List<Object> findings = new ArrayList<>();
        for (Finding f : a.run().findings()) {
            findings.add(JsonReport.finding(f));
        }
        all.put("findings", findings);
        all.put("notes", a.run().notes());
        List<Object> summaries = new ArrayList<>();
        for (Summary s : a.allSummaries()) {
            summaries.add(List.of(s.kind(), String.valueOf(s.toJson())));
        }
        all.put("summaries", summaries);
        return JSON.writeValueAsString(all);
    }

    static String analyse(int threads, Path... files) throws Exception {
        return result(analyzer(threads).analyze(List.of(files), AnalysisOptions.defaults()));
    }

    @Test
    void manyChunksReadInParallelGiveExactlyTheSerialFindingsAndSummaries() throws Exception {
        Path jfr = chunked();
        List<Chunks.Chunk> chunks = Chunks.scan(jfr);
        assertThat(chunks.size()).isGreaterThanOrEqualTo(8);
        assertThat(ChunkParts.split(List.of(new ChunkParts.Source(jfr, chunks, true)))).hasSize(chunks.size());

        String serial = analyse(1, jfr);
        assertThat(serial).contains("\"id\" : \"locks.contention\"", "\"id\" : \"threads.exceptions\"",
                "\"id\" : \"gc.system-gc\"");
        assertThat(analyse(3, jfr)).isEqualTo(serial);
        assertThat(analyse(8, jfr)).isEqualTo(serial);
    }

    /** Reading event times by position (internal.FieldValues) changes nothing: the same result as by name. */
    @Test
    void fieldsReadByPositionGiveExactlyTheByNameResult() throws Exception {
        Path jfr = chunked();
        assertThat(dev.hotpath.analyzer.jfr.internal.FieldValues.available()).isTrue();
        String byPosition = analyse(2, jfr);
        System.setProperty("hotpath.jfr.fieldsByName", "true");
        try {
            assertThat(dev.hotpath.analyzer.jfr.internal.FieldValues.available()).isFalse();
            assertThat(analyse(2, jfr)).isEqualTo(byPosition);
        } finally {
            System.clearProperty("hotpath.jfr.fieldsByName");
        }
    }

    @Test
    void recordingCutMidChunkIsReadUpToTheCutInParallelAsSerially() throws Exception {
        Path jfr = chunked();
        List<Chunks.Chunk> chunks = Chunks.scan(jfr);
        Chunks.Chunk victim = chunks.get(chunks.size() - 2);
        Path cut = dir.resolve("cut.jfr");
        byte[] bytes = Files.readAllBytes(jfr);
        Files.write(cut, java.util.Arrays.copyOf(bytes, (int) (victim.offset() + victim.size() / 2)));

        String serial = analyse(1, cut);
        long before = events(jfr, chunks.subList(0, chunks.size() - 2));
        assertThat(serial).contains("cut.jfr: recording is truncated; analysed the " + before
                + " events before the cut");
        assertThat(analyse(4, cut)).isEqualTo(serial);
        assertThat(analyse(16, cut)).isEqualTo(serial);
    }

    private long events(Path jfr, List<Chunks.Chunk> chunks) throws Exception {
        Path part = dir.resolve("part.jfr");
        Chunks.copy(chunks, part);
        long n = 0;
        try (RecordingFile rf = new RecordingFile(part)) {
            while (rf.hasMoreEvents()) {
                rf.readEvent();
                n++;
            }
        }
        return n;
    }
}
