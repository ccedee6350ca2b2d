package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Recordings;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A JFR file is a sequence of self-contained chunks: a file cut inside a later chunk is read up to the cut (and says
 * so); a cut inside the only chunk leaves nothing jdk.jfr.consumer can read, which the error explains.
 */
class TruncatedRecordingTest {
    @TempDir
    Path dir;

    @Test
    void recordingCutInsideALaterChunkIsReadUpToTheCutAndSaysSo() throws Exception {
        // two chunks (the recording's chunk twice, as a rotated recording has several), cut inside the second
        Path full = Recordings.faulty().jfr();
        byte[] chunk = Files.readAllBytes(full);
        byte[] two = Arrays.copyOf(chunk, chunk.length + chunk.length / 2);
        System.arraycopy(chunk, 0, two, chunk.length, chunk.length / 2);
        Path cut = dir.resolve("run.jfr");
        Files.write(cut, two);
        Contexts.Ingested whole = Contexts.ingest(new JfrIngester(), full, ArtifactType.JFR);
        Contexts.Ingested in = Contexts.ingest(new JfrIngester(), cut, ArtifactType.JFR);
        assertThat(whole.notes).noneMatch(n -> n.contains("truncated"));
        assertThat(in.notes).anySatisfy(n -> assertThat(n).startsWith("run.jfr: recording is truncated; analysed the ")
                .endsWith(" events before the cut"));
        // the first chunk is read (the consumer may drop the last events it had buffered when the next chunk breaks)
        long wholeGcs = whole.one(GcSummary.class).collections();
        assertThat(in.one(GcSummary.class).collections()).isBetween(wholeGcs * 9 / 10, wholeGcs * 2);
        assertThat(in.one(GcSummary.class).durationMs()).isGreaterThan(whole.one(GcSummary.class).durationMs() / 2);
    }

    @Test
    void recordingCutInsideItsOnlyChunkIsUnusableWithTheSizes() throws Exception {
        long size = Files.size(Recordings.healthy().jfr());
        Path cut = dir.resolve("cut.jfr");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(Recordings.healthy().jfr()), (int) (size / 2)));
        assertThatThrownBy(() -> Contexts.ingest(new JfrIngester(), cut, ArtifactType.JFR))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(cut.toAbsolutePath() + ": JFR recording cut inside its first chunk (the chunk declares "
                        + size + " bytes, the file has " + size / 2 + "); a partial chunk has no metadata to read it with");
    }

    @Test
    void emptyFileIsUnusable() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jfr"));
        assertThatThrownBy(() -> Contexts.ingest(new JfrIngester(), empty, ArtifactType.JFR))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(empty.toAbsolutePath() + ": empty file, expected a JFR recording");
    }
}
