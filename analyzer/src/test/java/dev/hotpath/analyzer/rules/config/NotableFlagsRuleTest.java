package dev.hotpath.analyzer.rules.config;

import dev.hotpath.analyzer.jfr.JfrIngester;
import dev.hotpath.analyzer.jfr.apps.HealthyApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** {@code config.notable-flags} on the arguments a real JVM reports in its JFR recording, and on argument lines. */
class NotableFlagsRuleTest {
    @TempDir
    Path dir;

    private ConfigSummary config(String args, long heapMax) throws Exception {
        Artifact a = Contexts.artifact(java.nio.file.Files.write(dir.resolve("rec.jfr"), new byte[0]), ArtifactType.JFR);
        return new ConfigSummary(a, "17", args, "G1", heapMax, heapMax, 64L << 30, -1, 8, -1, 8, 2);
    }

    private List<Finding> judge(String args, long heapMax) throws Exception {
        return Contexts.evaluate(new NotableFlagsRule(), List.of(config(args, heapMax)));
    }

    @Test
    void aRealJvmsFlagsFromItsRecording() throws Exception {
        Path rec = dir.resolve("flags.jfr");
        Jvm.run(Jvm.javaHome17(), List.of("-XX:TieredStopAtLevel=1", "-XX:+DisableExplicitGC",
                "-XX:-UseContainerSupport", "-Xmx64m", "-XX:StartFlightRecording=filename=" + rec),
                HealthyApp.class, "300");
        ConfigSummary c = Contexts.ingest(new JfrIngester(), rec, ArtifactType.JFR).one(ConfigSummary.class);
        List<Finding> fs = Contexts.evaluate(new NotableFlagsRule(), List.of(c));
        assertThat(fs).extracting(Finding::severity, Finding::title, f -> f.evidence().get("option"),
                f -> f.evidence().get("value")).containsExactly(
                tuple(Severity.WARNING, "The C2 compiler is off (-XX:TieredStopAtLevel=1)", "-XX:TieredStopAtLevel", "1"),
                tuple(Severity.WARNING, "Container support is off (-XX:-UseContainerSupport)",
                        "-XX:-UseContainerSupport", "false"),
                tuple(Severity.INFO, "System.gc() is disabled (-XX:+DisableExplicitGC)", "-XX:+DisableExplicitGC",
                        "true"));
        assertThat(fs.get(2).summary()).contains("java.nio.Bits.reserveMemory")
                .contains("OutOfMemoryError: Direct buffer memory");
        assertThat(fs).allMatch(f -> f.sources().equals(List.of("flags.jfr")));
    }

    @Test
    void theLastOccurrenceWinsAsInTheJvm() throws Exception {
        assertThat(judge("-XX:TieredStopAtLevel=1 -Xmx1g -XX:TieredStopAtLevel=4", 1L << 30)).isEmpty();
        assertThat(judge("-XX:+DisableExplicitGC -XX:-DisableExplicitGC", 1L << 30)).isEmpty();
        assertThat(judge("-Xint -Xmixed", 1L << 30)).isEmpty();
        assertThat(judge("-XX:-TieredCompilation", 1L << 30)).extracting(Finding::severity, Finding::title)
                .containsExactly(tuple(Severity.INFO, "Tiered compilation is off"));
        // -Xint says it all: the compiler options after it are moot
        assertThat(judge("-Xint -XX:TieredStopAtLevel=1", 1L << 30)).extracting(Finding::severity, Finding::title)
                .containsExactly(tuple(Severity.CRITICAL, "The JVM runs interpreted only (-Xint)"));
    }

    @Test
    void compressedOopsLostToTheHeapSizeOrTheFlag() throws Exception {
        List<Finding> big = judge("-Xmx40g", 40L << 30);
        assertThat(big).hasSize(1);
        assertThat(big.get(0).summary()).isEqualTo("Every object reference takes 8 bytes instead of 4 (a heap of 40 GiB"
                + " is past the 32 GiB that 4-byte references can address), so objects made mostly of references"
                + " (collections, object graphs) grow, and a heap a little above the limit holds less than one a"
                + " little below it.");
        assertThat(big.get(0).evidence()).containsEntry("option", "-Xmx").containsEntry("value", "40g")
                .containsEntry("heapMaxGib", 40.0);
        // 16-byte alignment keeps 4-byte references up to 64 GiB
        assertThat(judge("-Xmx40g -XX:ObjectAlignmentInBytes=16", 40L << 30)).isEmpty();
        assertThat(judge("-Xmx31g", 31L << 30)).isEmpty();
        assertThat(judge("-XX:-UseCompressedOops", 1L << 30)).extracting(f -> f.evidence().get("option"))
                .containsExactly("-XX:-UseCompressedOops");
    }
}
