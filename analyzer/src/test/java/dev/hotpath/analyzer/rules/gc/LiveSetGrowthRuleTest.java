package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.gclog.GcLogIngester;
import dev.hotpath.analyzer.jfr.JfrIngester;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.gc.apps.LeakyMapApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gc.live-set-growth} on a leak the way users usually record one: a big heap (the leak is under 10% of it),
 * JFR's default settings (old-object samples without stacks) and a plain {@code -Xlog:gc} log (no maximum heap).
 */
class LiveSetGrowthRuleTest {
    @TempDir
    static Path dir;
    static Path rec;
    static Path log;

    @BeforeAll
    static void leak() throws Exception {
        rec = dir.resolve("leak.jfr");
        log = dir.resolve("leak.log");
        // 400 MB of values (about 450 MB with the map) kept over 8 s in a 6 GiB heap; a fixed young generation keeps young collections (the samples) coming
        Jvm.run(Jvm.javaHome17(), List.of("-Xmx6g", "-Xmn96m", "-XX:+UseG1GC", "-Xlog:gc:file=" + log + ":uptime",
                "-XX:StartFlightRecording=filename=" + rec), LeakyMapApp.class, "400", "8");
    }

    @Test
    void aLeakUnderTenPercentOfABigHeapIsFoundByItsSizeAndNamedByClassWithoutStacks() throws Exception {
        List<Finding> fs = Contexts.evaluate(new LiveSetGrowthRule(),
                Contexts.ingest(new JfrIngester(), rec, ArtifactType.JFR).summaries);
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.title()).matches("Live set grows \\d+(\\.\\d)? MB/min \\(byte\\[\\]\\)");
        assertThat(f.evidence().get("heapMaxMb")).isEqualTo(6144.0);
        assertThat((Double) f.evidence().get("growthPercentOfMax")).isLessThan(10.0);
        assertThat((Double) f.evidence().get("growthMb")).isBetween(256.0, 520.0);
        assertThat((Double) f.evidence().get("minutesToFull")).isBetween(0.0, 60.0);
        assertThat(f.evidence().get("flattening")).isEqualTo(false);
        assertThat(f.evidence().get("topAllocationFrames")).isEqualTo(List.of());
        assertThat((List<?>) f.evidence().get("topClasses")).first().asString().startsWith("byte[] (");
        assertThat(f.summary()).contains("% of the 6144 MB heap)").endsWith("Old-object samples point at byte[]; the "
                + "recording kept no stacks for them (JFR's default settings), so the allocating frame is unknown.");
        assertThat(f.recommendation()).startsWith("Take two heap dumps a few minutes apart (hotpath heap --baseline) "
                + "to see which collection grows (of byte[]), or record with -XX:StartFlightRecording:settings=profile");

        // the size gate is what admits it: at 1 GB the same run is below both gates
        assertThat(Contexts.evaluate(new LiveSetGrowthRule(),
                Contexts.ingest(new JfrIngester(), rec, ArtifactType.JFR).summaries, "gc.live-set-growth.minGrowthMb=1024"))
                .isEmpty();
    }

    @Test
    void aLogWithoutTheMaximumHeapIsJudgedBySizeWithoutAProjection() throws Exception {
        GcSummary gc = Contexts.ingest(new GcLogIngester(), log, ArtifactType.GCLOG).one(GcSummary.class);
        assertThat(gc.heapMaxBytes()).isLessThanOrEqualTo(0);
        List<Finding> fs = Contexts.evaluate(new LiveSetGrowthRule(), List.of(gc));
        assertThat(fs).hasSize(1);
        Finding f = fs.get(0);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.title()).matches("Live set grows \\d+(\\.\\d)? MB/min");
        assertThat(f.evidence().get("heapMaxMb")).isEqualTo(-1.0);
        assertThat(f.evidence().get("growthPercentOfMax")).isEqualTo(-1.0);
        assertThat(f.evidence().get("minutesToFull")).isEqualTo(-1.0);
        assertThat(f.summary()).contains("Theil–Sen slope of the post-GC floor, the maximum heap unknown). In the "
                + "later half it still grew ").endsWith(" MB/min.");
    }

    @Test
    void jvmArrayNamesReadAsJava() {
        assertThat(LiveSetGrowthRule.javaName("[B")).isEqualTo("byte[]");
        assertThat(LiveSetGrowthRule.javaName("[[J")).isEqualTo("long[][]");
        assertThat(LiveSetGrowthRule.javaName("[Ljava.util.HashMap$Node;")).isEqualTo("java.util.HashMap$Node[]");
        assertThat(LiveSetGrowthRule.javaName("java.lang.Long")).isEqualTo("java.lang.Long");
        assertThat(LiveSetGrowthRule.javaName("[")).isEqualTo("[");
        assertThat(LiveSetGrowthRule.javaName("[Q")).isEqualTo("[Q");
    }
}
