package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.apps.PauseApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.config.ConfigSummary;
import dev.hotpath.analyzer.rules.config.GcVsCoresRule;
import dev.hotpath.analyzer.rules.config.HeapVsMemoryRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The config rules on real JVMs started with deliberately poor flags, sized from this machine (or container) so the
 * test holds anywhere: a maximum heap of 97% of the memory the JVM may use, and four times as many parallel GC
 * threads as CPUs.
 */
class ConfigRulesJfrTest {
    @TempDir
    Path dir;

    static ConfigSummary record(Path file, List<String> flags) throws Exception {
        List<String> options = new java.util.ArrayList<>(flags);
        options.add(Jvm.jfr(file, "default"));
        Jvm.run(Jvm.javaHome17(), options, PauseApp.class, "1");
        return Contexts.ingest(new JfrIngester(), file, ArtifactType.JFR).one(ConfigSummary.class);
    }

    @Test
    void heapOf97PercentOfMemoryIsCriticalAndSerialGcOnABigHeapIsAWarning() throws Exception {
        // container-aware: the cgroup limit when there is one, which is also what the rule compares against
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        long xmxMb = memory * 97 / 100 >> 20;
        ConfigSummary c = record(dir.resolve("big-heap.jfr"),
                List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx" + xmxMb + "m"));
        assertThat(c.availableMemoryBytes()).isEqualTo(memory);

        List<Finding> heap = Contexts.evaluate(new HeapVsMemoryRule(), List.of(c));
        assertThat(heap).hasSize(1);
        Finding f = heap.get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        double share = (double) f.evidence().get("heapSharePercent");
        assertThat(share).isCloseTo(97.0, within(0.2));
        assertThat(f.evidence().get("heapMaxMb")).isEqualTo((double) (c.heapMaxBytes() >> 20));
        assertThat(c.heapMaxBytes() >> 20).isBetween(xmxMb - 2, xmxMb + 2); // aligned to the heap's granule
        assertThat(f.title()).startsWith("Max heap is " + dev.hotpath.analyzer.jfr.internal.Stats.fmt(share) + "% of the ");
        assertThat(f.recommendation()).contains("-XX:MaxRAMPercentage=75");

        int cpus = Runtime.getRuntime().availableProcessors();
        List<Finding> gc = Contexts.evaluate(new GcVsCoresRule(), List.of(c));
        if (cpus > 1) {
            assertThat(gc).singleElement().satisfies(g -> {
                assertThat(g.severity()).isEqualTo(Severity.WARNING);
                assertThat(g.title()).isEqualTo("Serial GC on " + cpus + " CPUs with a "
                        + g.evidence().get("heapMaxMb").toString().replaceAll("\\.0$", "") + " MB heap");
                assertThat(g.evidence()).containsEntry("gc", "Serial").containsEntry("availableCpus", (long) cpus);
            });
        } else {
            assertThat(gc).isEmpty(); // one CPU: Serial is the right collector
        }
    }

    @Test
    void moreParallelGcThreadsThanCpusIsAWarning() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        int threads = cpus * 4;
        ConfigSummary c = record(dir.resolve("threads.jfr"),
                List.of("-XX:+UseParallelGC", "-XX:ParallelGCThreads=" + threads, "-Xmx64m"));

        List<Finding> gc = Contexts.evaluate(new GcVsCoresRule(), List.of(c));
        assertThat(gc).singleElement().satisfies(g -> {
            assertThat(g.severity()).isEqualTo(Severity.WARNING);
            assertThat(g.title()).isEqualTo(threads + " parallel GC threads for " + cpus + " CPUs");
            assertThat(g.evidence()).containsEntry("gc", "Parallel")
                    .containsEntry("parallelGcThreads", (long) threads).containsEntry("availableCpus", (long) cpus);
            assertThat(g.recommendation()).startsWith("Set -XX:ParallelGCThreads=" + cpus + " ");
        });
        assertThat(Contexts.evaluate(new HeapVsMemoryRule(), List.of(c))).isEmpty();
    }
}
