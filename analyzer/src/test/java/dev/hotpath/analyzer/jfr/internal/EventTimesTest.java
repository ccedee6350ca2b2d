package dev.hotpath.analyzer.jfr.internal;

import dev.hotpath.analyzer.jfr.Chunks;
import dev.hotpath.analyzer.jfr.apps.ChunkedFaultyApp;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Times from the raw ticks equal the consumer's getters for every event of every chunk of a real multi-chunk
 * recording (file I/O at a 0 ms threshold, locks, GC, samples), and a file of several chunks, whose events do not
 * share one clock, is read through the getters.
 */
class EventTimesTest {
    @TempDir
    static Path dir;
    static Path jfr;
    static List<Chunks.Chunk> chunks;

    @BeforeAll
    static void record() throws Exception {
        jfr = dir.resolve("chunked.jfr");
        Jvm.run(Jvm.javaHome17(), List.of("-Xmx256m", "-XX:StartFlightRecording=filename=" + jfr
                + ",settings=profile,jdk.FileRead#threshold=0ms,jdk.FileWrite#threshold=0ms"),
                ChunkedFaultyApp.class, "1500", "400");
        chunks = Chunks.scan(jfr);
    }

    @Test
    void ticksOfEachChunkGiveTheGettersValues() throws Exception {
        assertThat(EventTimes.available()).isTrue(); // JDK 17: through Unsafe, the module not being opened
        assertThat(chunks.size()).isGreaterThan(2);
        EventTimes times = new EventTimes();
        long events = 0;
        long withDuration = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Path part = dir.resolve("chunk-" + i + ".jfr");
            Chunks.copy(List.of(chunks.get(i)), part);
            times.begin(part);
            try (RecordingFile rf = new RecordingFile(part)) {
                while (rf.hasMoreEvents()) {
                    RecordedEvent e = rf.readEvent();
                    assertThat(times.startNanos(e)).isEqualTo(nanos(e.getStartTime()));
                    assertThat(times.endNanos(e)).isEqualTo(nanos(e.getEndTime()));
                    assertThat(times.durationNanos(e)).isEqualTo(e.getDuration().toNanos());
                    assertThat(EventTimes.millis(times.startNanos(e))).isEqualTo(e.getStartTime().toEpochMilli());
                    events++;
                    withDuration += e.getDuration().isZero() ? 0 : 1;
                }
            }
            assertThat(times.fromTicks()).as("chunk %d read from its ticks", i).isTrue();
        }
        assertThat(events).isGreaterThan(10_000);
        assertThat(withDuration).isGreaterThan(100); // hundreds of file operations, however loaded the machine
    }

    @Test
    void aFileOfSeveralChunksIsReadThroughTheGetters() throws Exception {
        EventTimes times = new EventTimes();
        times.begin(jfr);
        assertThat(times.fromTicks()).isFalse();
        try (RecordingFile rf = new RecordingFile(jfr)) {
            RecordedEvent e = rf.readEvent();
            assertThat(times.durationNanos(e)).isEqualTo(e.getDuration().toNanos());
            assertThat(times.startNanos(e)).isEqualTo(nanos(e.getStartTime()));
        }
        assertThat(times.fromTicks()).isFalse();
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
