package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.apps.ReaderMixApp;
import dev.hotpath.analyzer.jfr.read.ChunkReader;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrType;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * hotpath's own chunk reader ({@link ChunkReader}) against {@code RecordingFile} through the adapter
 * ({@code -Dhotpath.jfr.reader=jdk}): real recordings of JDK 17 and JDK 25 JVMs doing file and socket I/O at a 0 ms
 * threshold, lock contention, exceptions, allocation, System.gc() and short-lived threads over several chunks, and
 * one async-profiler recording, analysed both ways; the full findings, notes and every summary's JSON must be equal
 * text, the chunk reader must have read every chunk itself, and it must count per event type what RecordingFile
 * returns.
 */
class ChunkReaderEquivalenceTest {
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static Path jdk17;
    private static Path jdk25;
    private static Path asyncProfiler;

    static synchronized Path jdk17() throws Exception {
        if (jdk17 == null) {
            jdk17 = record(Jvm.javaHome17(), "mix17.jfr");
        }
        return jdk17;
    }

    static synchronized Path jdk25() throws Exception {
        if (jdk25 == null) {
            jdk25 = record(JDK25, "mix25.jfr");
        }
        return jdk25;
    }

    private static Path record(Path javaHome, String name) throws Exception {
        Path jfr = shared.resolve(name);
        Jvm.run(javaHome, List.of("-Xmx128m", "-XX:+UseG1GC"), ReaderMixApp.class, jfr.toString(), "1500");
        return jfr;
    }

    /** async-profiler 4.2 (the test dependency's library): CPU, allocation and lock samples in its own JFR. */
    static synchronized Path asyncProfiler() throws Exception {
        if (asyncProfiler == null) {
            Path lib = shared.resolve("libasyncProfiler.so");
            Path jar = Path.of(System.getProperty("user.home"), ".m2/repository/tools/profiler/async-profiler/4.2/"
                    + "async-profiler-4.2.jar");
            try (ZipFile zip = new ZipFile(jar.toFile());
                 InputStream in = zip.getInputStream(zip.getEntry("linux-x64/libasyncProfiler.so"))) {
                Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            }
            Path jfr = shared.resolve("async.jfr");
            Jvm.run(Jvm.javaHome17(), List.of("-agentpath:" + lib + "=start,event=itimer,interval=1ms,alloc=64k,"
                    + "lock=0,file=" + jfr), ReaderMixApp.class, shared.resolve("unused.jfr").toString(), "1200");
            asyncProfiler = jfr;
        }
        return asyncProfiler;
    }

    /** The analysis with the chunk reader and with RecordingFile, which must be equal; returns it. */
    private static String sameBothWays(Path file, boolean allOwn) throws Exception {
        long own = Digest.OWN_READS.get();
        long refused = Digest.REFUSED.get();
        String ours = ParallelChunksTest.analyse(2, file);
        long read = Digest.OWN_READS.get() - own;
        if (allOwn) {
            assertThat(Digest.REFUSED.get() - refused).as("chunks the reader refused").isZero();
            assertThat(read).as("chunks the reader read").isEqualTo(Chunks.scan(file).size());
        }
        System.setProperty("hotpath.jfr.reader", "jdk");
        String reference;
        try {
            long before = Digest.OWN_READS.get();
            reference = ParallelChunksTest.analyse(2, file);
            assertThat(Digest.OWN_READS.get()).isEqualTo(before);
        } finally {
            System.clearProperty("hotpath.jfr.reader");
        }
        assertThat(ours).isEqualTo(reference);
        return ours;
    }

    @Test
    void jdk17RecordingGivesTheRecordingFileResult() throws Exception {
        Path jfr = jdk17();
        assertThat(Chunks.scan(jfr).size()).isGreaterThanOrEqualTo(3);
        String result = sameBothWays(jfr, true);
        // the handlers had something to read: I/O by file and socket, locks, exceptions, GC, threads
        assertThat(result).contains("kind=socket, op=read", "kind=file, op=write", "class=java.lang.IllegalStateException",
                "threads=[contender-0, contender-1, contender-2]",
                "systemGcCallers=[dev.hotpath.analyzer.jfr.apps.ReaderMixApp.run]");
        assertCountsMatch(jfr);
    }

    @Test
    void jdk25RecordingGivesTheRecordingFileResult() throws Exception {
        Path jfr = jdk25();
        assertThat(Chunks.scan(jfr).size()).isGreaterThanOrEqualTo(3);
        String result = sameBothWays(jfr, true);
        assertThat(result).contains("kind=socket, op=read", "kind=file, op=write", "class=java.lang.IllegalStateException",
                "threads=[contender-0, contender-1, contender-2]",
                "systemGcCallers=[dev.hotpath.analyzer.jfr.apps.ReaderMixApp.run]");
        assertCountsMatch(jfr);
    }

    @Test
    void asyncProfilerRecordingGivesTheRecordingFileResult() throws Exception {
        Path jfr = asyncProfiler();
        String result = sameBothWays(jfr, true);
        assertThat(result).contains("ReaderMixApp");
        assertCountsMatch(jfr);
    }

    /** Cut inside its second-to-last chunk: the chunks before the cut are read by the chunk reader, the rest alike. */
    @Test
    void recordingCutMidChunkGivesTheRecordingFileResult() throws Exception {
        Path jfr = jdk17();
        List<Chunks.Chunk> chunks = Chunks.scan(jfr);
        Chunks.Chunk victim = chunks.get(chunks.size() - 2);
        Path cut = dir.resolve("cut.jfr");
        byte[] bytes = Files.readAllBytes(jfr);
        Files.write(cut, java.util.Arrays.copyOf(bytes, (int) (victim.offset() + victim.size() / 2)));
        long own = Digest.OWN_READS.get();
        String result = sameBothWays(cut, false);
        assertThat(result).contains("cut.jfr: recording is truncated; analysed the");
        // the complete chunks by the chunk reader; the cut one goes to RecordingFile without being tried
        assertThat(Digest.OWN_READS.get() - own).isEqualTo(chunks.size() - 2);
    }

    /**
     * A file the chunk reader refuses (bytes after its only chunk, so the chunk does not span the file) is read by
     * RecordingFile: same events, the same findings, and the note that the consumer's failure after the chunk gives.
     */
    @Test
    void fileTheReaderRefusesIsReadByRecordingFile() throws Exception {
        Path jfr = jdk17();
        Chunks.Chunk first = Chunks.scan(jfr).get(0);
        Path odd = dir.resolve("trailing.jfr");
        Chunks.copy(List.of(first), odd);
        Files.write(odd, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, StandardOpenOption.APPEND);
        Path plain = dir.resolve("plain.jfr");
        Chunks.copy(List.of(first), plain);

        Digest d = new Digest(false);
        long refused = Digest.REFUSED.get();
        Digest.Outcome o = d.readEvents(odd);
        assertThat(Digest.REFUSED.get() - refused).isEqualTo(1);
        // RecordingFile's count on that file (it fails on the bytes after the chunk, as it did before this reader)
        long consumer = countByType(odd).values().stream().mapToLong(Long::longValue).sum();
        assertThat(o.events()).isEqualTo(consumer).isGreaterThan(1000);
        assertThat(o.broken()).isNotNull();
        assertThat(Files.size(plain)).isEqualTo(Files.size(odd) - 8);

        long before = Digest.REFUSED.get();
        sameBothWays(odd, false);
        assertThat(Digest.REFUSED.get() - before).isEqualTo(1);
    }

    /** Per event type, the chunk reader counts exactly the events RecordingFile returns, chunk by chunk. */
    private void assertCountsMatch(Path jfr) throws Exception {
        Map<String, Long> ours = new TreeMap<>();
        int i = 0;
        for (Chunks.Chunk c : Chunks.scan(jfr)) {
            Path one = dir.resolve("chunk" + i++ + ".jfr");
            Chunks.copy(List.of(c), one);
            long total = ChunkReader.read(one, new ChunkReader.Sink() {
                @Override
                public Object select(JfrType type) {
                    return type;
                }

                @Override
                public void accept(JfrEvent event, Object selection) {
                    ours.merge(((JfrType) selection).name(), 1L, Long::sum);
                }
            });
            assertThat(total).isEqualTo(countByType(one).values().stream().mapToLong(Long::longValue).sum());
        }
        Map<String, Long> reference = countByType(jfr);
        assertThat(ours).isEqualTo(reference);
        assertThat(reference).containsKey("jdk.ExecutionSample");
    }

    private static Map<String, Long> countByType(Path file) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                counts.merge(e.getEventType().getName(), 1L, Long::sum);
            }
        } catch (java.io.IOException endOfReadable) {
            // a file with bytes after its chunk: counted up to there
        }
        return counts;
    }
}
