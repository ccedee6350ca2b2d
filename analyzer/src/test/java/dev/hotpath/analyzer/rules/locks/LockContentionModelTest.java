package dev.hotpath.analyzer.rules.locks;

import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contention model on the figures of the demo's ingest service: two router threads queueing on one global
 * monitor for ~28 s of load inside a 70 s recording, against a JDK-internal monitor entered under an application frame.
 */
class LockContentionModelTest {
    private static final Artifact JFR = new Artifact(Path.of("/runs/ingest/recording.jfr"), ArtifactType.JFR, 1, null,
            Map.of());

    private static LockSummary summary(LockSummary.Contention c) {
        return new LockSummary(JFR, List.of(c), 70_000, Map.of("jdk.JavaMonitorEnter", "20 ms"));
    }

    @Test
    void repeatedBlocksOnAnApplicationMonitorAreMeasuredAgainstTheContendedSpan() {
        LockSummary s = summary(new LockSummary.Contention("monitor", "com.acme.PartitionMap",
                "com.acme.PartitionMap.append", 54, 1_303_900_000L, 114_600_000L, List.of("router-0", "router-1"), 2,
                27_700, true));
        Finding f = Contexts.evaluate(new LockContentionRule(), List.of(s)).get(0);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.title()).isEqualTo("2 threads blocked 4.7% of wall time on com.acme.PartitionMap in "
                + "com.acme.PartitionMap.append");
        assertThat(f.evidence()).containsEntry("windowSeconds", 27.7).containsEntry("recordingSeconds", 70.0)
                .containsEntry("sharePercent", 4.7).containsEntry("enteredInApp", true);
        assertThat(f.summary()).contains("(4.7% of the 27.7 s it was contended;");
    }

    @Test
    void aMonitorEnteredInsideLibraryCodeIsInfo() {
        LockSummary s = summary(new LockSummary.Contention("monitor", "java.lang.Object", "com.acme.Exchanges.send",
                55, 1_080_100_000L, 92_000_000L, List.of("a", "b"), 8, 27_500, false));
        Finding f = Contexts.evaluate(new LockContentionRule(), List.of(s)).get(0);
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.summary()).endsWith("The lock is taken inside library code that com.acme.Exchanges.send calls, "
                + "not by the application itself.");
    }

    @Test
    void aFewBlocksAreMeasuredAgainstTheWholeRecording() {
        // two class-loading blocks at start-up: 27 ms over 70 s is noise, whatever their span
        LockSummary s = summary(new LockSummary.Contention("monitor", "java.lang.Object", "com.acme.Boot.main",
                2, 27_000_000L, 14_000_000L, List.of("a", "b"), 2, 20, true));
        assertThat(Contexts.evaluate(new LockContentionRule(), List.of(s))).isEmpty();
    }
}
