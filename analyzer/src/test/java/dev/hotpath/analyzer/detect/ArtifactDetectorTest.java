package dev.hotpath.analyzer.detect;

import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Detection by content of real artifacts made by real JVMs, jcmd, async-profiler and jemalloc, and of bad input. */
class ArtifactDetectorTest {
    @TempDir
    static Path dir;
    static RealArtifacts real;
    private final ArtifactDetector detector = new ArtifactDetector();

    @BeforeAll
    static void makeArtifacts() throws Exception {
        real = RealArtifacts.make(dir.resolve("jvm"));
    }

    @Test
    void jdkRecordingIsJfrWithItsVersion() throws Exception {
        Detection d = detector.detect(real.jfr);
        assertThat(d.type()).isEqualTo(ArtifactType.JFR);
        assertThat(d.attributes()).isEqualTo(Map.of("jfrVersion", "2.1"));
        assertThat(d.notes()).isEmpty();
    }

    @Test
    void asyncProfilerRecordingIsToldFromTheJdks() throws Exception {
        Detection d = detector.detect(RealArtifacts.asyncProfilerJfr(dir.resolve("ap")));
        assertThat(d.type()).isEqualTo(ArtifactType.ASYNC_PROFILER_JFR);
        assertThat(d.attributes()).containsEntry("producer", "async-profiler");
    }

    @Test
    void heapDumpsFromJcmdPlainAndGzipped() throws Exception {
        assertThat(detector.detect(real.hprof))
                .isEqualTo(new Detection(ArtifactType.HPROF, Map.of("hprofVersion", "1.0.2"), java.util.List.of()));
        assertThat(detector.detect(real.hprofGz)).isEqualTo(new Detection(ArtifactType.HPROF,
                Map.of("hprofVersion", "1.0.2", "compression", "gzip"), java.util.List.of()));
    }

    @Test
    void nmtSummaryDetailAndDiffFromJcmd() throws Exception {
        assertThat(detector.detect(real.nmtSummary).attributes()).isEqualTo(Map.of("mode", "summary", "pid", real.pid));
        assertThat(detector.detect(real.nmtDetail).attributes()).isEqualTo(Map.of("mode", "detail", "pid", real.pid));
        Detection diff = detector.detect(real.nmtDiff);
        assertThat(diff.type()).isEqualTo(ArtifactType.NMT);
        assertThat(diff.attributes()).isEqualTo(Map.of("mode", "summary.diff", "pid", real.pid));
    }

    @Test
    void unifiedGcLogsWithAndWithoutDecorations() throws Exception {
        assertThat(Files.readAllLines(real.gcDecorated).get(0)).matches("\\[[0-9.]+s\\]\\[info\\]\\[gc\\] Using G1");
        assertThat(Files.readAllLines(real.gcUndecorated).get(0)).isEqualTo("Using G1");
        assertThat(detector.detect(real.gcDecorated))
                .isEqualTo(Detection.of(ArtifactType.GCLOG, Map.of("decorations", true)));
        assertThat(detector.detect(real.gcUndecorated))
                .isEqualTo(Detection.of(ArtifactType.GCLOG, Map.of("decorations", false)));
    }

    @Test
    void jemallocHeapProfileAndStatsFromAPreloadedJvm() throws Exception {
        Path profile = RealArtifacts.jemallocProfile(dir.resolve("je"));
        assertThat(detector.detect(profile))
                .isEqualTo(Detection.of(ArtifactType.JEMALLOC, Map.of("samplePeriodBytes", 524288L)));
        Path stats = RealArtifacts.jemallocStats(dir.resolve("je-stats"));
        // the JVM's own -version lines come first; detection must look past them
        assertThat(Files.readAllLines(stats).get(0)).startsWith("openjdk version");
        assertThat(detector.detect(stats).type()).isEqualTo(ArtifactType.JEMALLOC_STATS);
    }

    @Test
    void textAndJsonFormatsOfDesignAndFormats() throws Exception {
        Path d = dir.resolve("text");
        assertThat(detector.detect(TextArtifacts.write(d, "a.txt", TextArtifacts.COLLAPSED)).type())
                .isEqualTo(ArtifactType.COLLAPSED);
        assertThat(detector.detect(TextArtifacts.write(d, "b.txt", TextArtifacts.SNAPSHOT)).type())
                .isEqualTo(ArtifactType.AGENT_SNAPSHOT);
        assertThat(detector.detect(TextArtifacts.write(d, "c.txt", TextArtifacts.RSS)).type())
                .isEqualTo(ArtifactType.RSS);
        assertThat(detector.detect(TextArtifacts.write(d, "d.txt", TextArtifacts.FIO)).type())
                .isEqualTo(ArtifactType.FIO);
        assertThat(detector.detect(TextArtifacts.write(d, "e.txt", TextArtifacts.ALLOCATOR_COMPARISON)).type())
                .isEqualTo(ArtifactType.ALLOCATOR_COMPARISON);
    }

    @Test
    void extensionsDoNotMatter() throws Exception {
        Path disguised = dir.resolve("looks-like.hprof");
        Files.copy(real.gcDecorated, disguised);
        assertThat(detector.detect(disguised).type()).isEqualTo(ArtifactType.GCLOG);
    }

    @Test
    void zeroByteFile() throws Exception {
        Path f = Files.createFile(dir.resolve("empty.jfr"));
        assertThatThrownBy(() -> detector.detect(f)).isInstanceOf(UnusableInputException.class)
                .hasMessage(f + ": empty file (0 bytes)");
    }

    @Test
    void jfrCutInsideItsHeader() throws Exception {
        Path f = dir.resolve("cut-header.jfr");
        Files.write(f, Arrays.copyOf(Files.readAllBytes(real.jfr), 40));
        assertThatThrownBy(() -> detector.detect(f)).isInstanceOf(UnusableInputException.class)
                .hasMessage(f + ": truncated JFR recording: the chunk header needs 68 bytes, the file has 40");
    }

    @Test
    void jfrCutInTheMiddleIsStillJfrWithANote() throws Exception {
        byte[] all = Files.readAllBytes(real.jfr);
        Path f = dir.resolve("cut-half.jfr");
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        Detection d = detector.detect(f);
        assertThat(d.type()).isEqualTo(ArtifactType.JFR);
        assertThat(d.attributes()).containsEntry("truncated", true);
        assertThat(d.notes()).containsExactly(f + ": truncated JFR recording: the first chunk declares "
                + firstChunkSize(all) + " bytes, the file has " + (all.length / 2));
    }

    private static long firstChunkSize(byte[] jfr) {
        return java.nio.ByteBuffer.wrap(jfr).getLong(8);
    }

    @Test
    void randomBytes() throws Exception {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = (byte) 0xa7; // not a magic of any format, whatever the seed gives
        Path f = Files.write(dir.resolve("noise.bin"), noise);
        assertThatThrownBy(() -> detector.detect(f)).isInstanceOf(UnusableInputException.class)
                .hasMessage(f + ": not a recognised artifact (binary data starting with bytes "
                        + String.format("%02x %02x %02x %02x %02x %02x %02x %02x", noise[0], noise[1], noise[2],
                        noise[3], noise[4], noise[5], noise[6], noise[7]) + ")");
    }

    @Test
    void plainText() throws Exception {
        Path f = Files.writeString(dir.resolve("notes.txt"), "Meeting notes\nThe gateway was slow on 3 nodes\n");
        assertThatThrownBy(() -> detector.detect(f)).isInstanceOf(UnusableInputException.class)
                .hasMessage(f + ": not a recognised artifact (text starting with \"Meeting notes\")");
    }

    @Test
    void gzipOfSomethingElse() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("hello\n".getBytes(StandardCharsets.UTF_8));
        }
        Path f = Files.write(dir.resolve("hello.gz"), bytes.toByteArray());
        assertThatThrownBy(() -> detector.detect(f)).isInstanceOf(UnusableInputException.class)
                .hasMessage(f + ": gzip-compressed, but the content is not a heap dump (hotpath reads gzip only for HPROF)");
    }

    @Test
    void truncatedGzippedHeapDump() throws Exception {
        Path f = dir.resolve("cut.hprof.gz");
        Files.write(f, Arrays.copyOf(Files.readAllBytes(real.hprofGz), 12));
        assertThatThrownBy(() -> detector.detect(f)).isInstanceOf(UnusableInputException.class)
                .hasMessage(f + ": truncated gzip file: it ends before the compressed heap dump header");
    }

    @Test
    void jsonThatIsNoArtifactAndBrokenJson() throws Exception {
        Path other = Files.writeString(dir.resolve("package.json"), "{\"name\":\"x\",\"version\":\"1.0\"}\n");
        assertThatThrownBy(() -> detector.detect(other)).hasMessage(other + ": JSON, but not a hotpath artifact"
                + " (no top-level callSites, \"fio version\" or variants/comparisons)");
        Path cut = Files.writeString(dir.resolve("cut.json"), "{\"pid\":1,\"capturedAt\":\"x\",");
        assertThatThrownBy(() -> detector.detect(cut)).hasMessage(cut + ": truncated JSON at line 1, column 27");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"pid\":1,,}");
        assertThatThrownBy(() -> detector.detect(bad)).hasMessage(bad + ": corrupt JSON at line 1, column 10:"
                + " Unexpected character (',' (code 44)): was expecting double-quote to start field name");
    }
}
