package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.apps.PauseApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import dev.hotpath.analyzer.rules.gc.LongPausesRule;
import dev.hotpath.analyzer.rules.gc.PauseStats;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real JVM under the Serial collector calls System.gc() 12 times; the summary must match the raw events. */
class GcPausesJfrTest {
    @TempDir
    static Path dir;
    static Path recording;

    @BeforeAll
    static void record() throws Exception {
        recording = dir.resolve("pauses.jfr");
        Jvm.run(Jvm.javaHome17(), List.of("-Xmx128m", "-XX:+UseSerialGC", Jvm.jfr(recording, "default")),
                PauseApp.class, "12");
    }

    @Test
    void summarisesPausesPerCollectorAndCauseExactlyAsTheRawEventsSay() throws Exception {
        GcSummary gc = Contexts.ingest(new JfrIngester(), recording, ArtifactType.JFR).one(GcSummary.class);

        long[] rawSystemGc = rawPauses("SerialOld", "System.gc()");
        assertThat(rawSystemGc).hasSize(12);
        PauseStats full = gc.pauses().stream().filter(p -> p.cause().equals("System.gc()")).findFirst().orElseThrow();
        assertThat(full.collector()).isEqualTo("SerialOld");
        assertThat(full.count()).isEqualTo(12);
        assertThat(full.totalNanos()).isEqualTo(Arrays.stream(rawSystemGc).sum());
        assertThat(full.maxNanos()).isEqualTo(rawSystemGc[11]);
        assertThat(full.p50Nanos()).isEqualTo(rawSystemGc[5]); // nearest rank: ceil(0.5*12) = 6th
        assertThat(full.p90Nanos()).isEqualTo(rawSystemGc[10]); // ceil(0.9*12) = 11th
        assertThat(full.p99Nanos()).isEqualTo(rawSystemGc[11]);
        assertThat(gc.gcName()).isEqualTo("Serial");
        assertThat(gc.events().systemGcs()).isEqualTo(12);
        assertThat(gc.events().fullGcs()).isEqualTo(rawPauses("SerialOld", null).length);
        assertThat(gc.epochClock()).isTrue();
        assertThat(gc.durationMs()).isBetween(1L, 120_000L);
        assertThat(gc.heapAfterBytes()).isNotEmpty();
        assertThat(gc.heapMaxBytes()).isEqualTo(128L << 20);
    }

    @Test
    void longPausesRuleNamesCollectorCauseAndNumbers() throws Exception {
        GcSummary gc = Contexts.ingest(new JfrIngester(), recording, ArtifactType.JFR).one(GcSummary.class);
        PauseStats full = gc.pauses().stream().filter(p -> p.cause().equals("System.gc()")).findFirst().orElseThrow();
        // A threshold just under this run's p99 makes the rule fire deterministically on a real recording.
        double p99 = Math.round(full.p99Nanos() / 1e5) / 10.0;
        double threshold = Math.max(0.1, Math.floor(p99 * 10 - 1) / 10);
        List<Finding> findings = Contexts.evaluate(new LongPausesRule(), List.of(gc),
                "gc.long-pauses.warningPauseMs=" + threshold, "gc.long-pauses.criticalPauseMs=100000");

        Finding f = findings.stream().filter(x -> "System.gc()".equals(x.evidence().get("cause"))).findFirst()
                .orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.title()).contains("SerialOld").contains("System.gc()");
        assertThat(f.evidence()).containsEntry("collector", "SerialOld").containsEntry("count", 12L)
                .containsEntry("p99PauseMs", p99).containsEntry("thresholdMs", threshold);
        assertThat(f.summary()).startsWith("12 SerialOld collections caused by 'System.gc()'");
        assertThat(f.recommendation()).contains("System.gc()");
        assertThat(f.sources()).containsExactly("pauses.jfr");
    }

    @Test
    void defaultThresholdsFireExactlyForTheGroupsWhoseP99CrossesThem() throws Exception {
        GcSummary gc = Contexts.ingest(new JfrIngester(), recording, ArtifactType.JFR).one(GcSummary.class);
        // pause lengths here depend on the CPU the shared machine gives the JVM, so the property is checked
        List<String> expected = gc.pauses().stream().filter(p -> Math.round(p.p99Nanos() / 1e5) / 10.0 >= 200)
                .map(p -> p.collector() + "/" + p.cause()).toList();
        assertThat(Contexts.evaluate(new LongPausesRule(), List.of(gc)))
                .extracting(f -> f.evidence().get("collector") + "/" + f.evidence().get("cause"))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void nonJfrFileIsUnusableWithOneLineNamingTheFile() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> Contexts.ingest(new JfrIngester(), text, ArtifactType.JFR))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(text.toAbsolutePath() + ": not a JFR recording (missing 'FLR\\0' magic) (at byte 0)");
    }

    /** Pause nanos of the raw jdk.GarbageCollection events, sorted; {@code cause == null} means any cause. */
    static long[] rawPauses(String collector, String cause) throws Exception {
        return RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.GarbageCollection"))
                .filter(e -> e.getString("name").equals(collector))
                .filter(e -> cause == null || cause.equals(e.getString("cause")))
                .mapToLong(e -> e.getDuration("sumOfPauses").toNanos()).sorted().toArray();
    }
}
