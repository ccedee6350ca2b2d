package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Recordings;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.profile.CollapsedIngester;
import dev.hotpath.analyzer.rules.allocation.AllocationSummary;
import dev.hotpath.analyzer.rules.allocation.BaselineRateRule;
import dev.hotpath.analyzer.rules.cpu.BaselineHotMethodRule;
import dev.hotpath.analyzer.rules.gc.BaselinePausesRule;
import dev.hotpath.analyzer.rules.locks.BaselineBlockedRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --baseline}: the faulty run against the healthy one (and back), and two collapsed CPU profiles. */
class BaselineTest {
    static Contexts.Ingested healthy;
    static Contexts.Ingested faulty;

    @BeforeAll
    static void ingest() throws Exception {
        healthy = Contexts.ingest(new JfrIngester(), Recordings.healthy().jfr(), ArtifactType.JFR);
        faulty = Contexts.ingest(new JfrIngester(), Recordings.faulty().jfr(), ArtifactType.JFR);
    }

    @Test
    void newLockConvoyIsARegressionAndItsRemovalIsNot() {
        List<Finding> worse = Contexts.evaluate(new BaselineBlockedRule(), faulty.summaries, healthy.summaries);
        Finding ledger = worse.stream().filter(f -> f.evidence().get("lockClass").equals(JfrFindingsTest.APP + "Ledger"))
                .findFirst().orElseThrow();
        assertThat(ledger.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(ledger.evidence()).containsEntry("baselineSharePercent", 0.0)
                .containsEntry("frame", JfrFindingsTest.APP + "Ledger.post");
        assertThat((Double) ledger.evidence().get("changePoints")).isGreaterThan(100.0);
        assertThat(Contexts.evaluate(new BaselineBlockedRule(), healthy.summaries, faulty.summaries)).isEmpty();
        // without a baseline the rule says nothing
        assertThat(Contexts.evaluate(new BaselineBlockedRule(), faulty.summaries, List.of())).isEmpty();
    }

    @Test
    void allocationRateRegressionFollowsTheMeasuredRates() {
        double b = BaselineRateRule.mbps(List.of(healthy.one(AllocationSummary.class)));
        double a = BaselineRateRule.mbps(List.of(faulty.one(AllocationSummary.class)));
        assertThat(a).isGreaterThan(b);
        List<Finding> worse = Contexts.evaluate(new BaselineRateRule(), faulty.summaries, healthy.summaries);
        boolean expected = a - b >= 20 && (a - b) / b * 100 >= 25;
        assertThat(worse).hasSize(expected ? 1 : 0);
        if (expected) {
            assertThat(worse.get(0).evidence()).containsEntry("baselineMBps", b).containsEntry("rateMBps", a)
                    .containsEntry("topClass", "[B");
        }
        assertThat(Contexts.evaluate(new BaselineRateRule(), healthy.summaries, faulty.summaries)).isEmpty();
    }

    @Test
    void pauseRegressionComparesTheSameCollectorAndCause() {
        List<Finding> worse = Contexts.evaluate(new BaselinePausesRule(), faulty.summaries, healthy.summaries);
        for (Finding f : worse) {
            assertThat((Double) f.evidence().get("changePercent")).isGreaterThanOrEqualTo(25.0);
            assertThat((Double) f.evidence().get("changeMs")).isGreaterThanOrEqualTo(10.0);
            assertThat((Double) f.evidence().get("p99Ms")).isGreaterThan((Double) f.evidence().get("baselineP99Ms"));
        }
        // the same run against itself never regresses
        assertThat(Contexts.evaluate(new BaselinePausesRule(), faulty.summaries, faulty.summaries)).isEmpty();
    }

    @Test
    void methodWhoseCpuShareGrewIsNamed(@TempDir Path dir) throws Exception {
        Path before = dir.resolve("before-cpu.collapsed");
        Path after = dir.resolve("after-cpu.collapsed");
        Files.writeString(before, "java/lang/Thread.run_[j];com/acme/App.work_[j];com/acme/App.parse_[j] 70\n"
                + "java/lang/Thread.run_[j];com/acme/App.work_[j];com/acme/App.render_[j] 30\n");
        Files.writeString(after, "java/lang/Thread.run_[j];com/acme/App.work_[j];com/acme/App.parse_[j] 30\n"
                + "java/lang/Thread.run_[j];com/acme/App.work_[j];com/acme/App.render_[j] 170\n");
        var base = Contexts.ingest(new CollapsedIngester(), before, ArtifactType.COLLAPSED).summaries;
        var now = Contexts.ingest(new CollapsedIngester(), after, ArtifactType.COLLAPSED).summaries;
        Finding f = Contexts.evaluate(new BaselineHotMethodRule(), now, base).get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.evidence()).containsEntry("method", "com.acme.App.render").containsEntry("baselineSharePercent", 30.0)
                .containsEntry("sharePercent", 85.0).containsEntry("changePoints", 55.0).containsEntry("samples", 200L);
        assertThat(f.title()).isEqualTo("com.acme.App.render now takes 85% of CPU samples (baseline 30%)");
        // shares are relative: swapping the runs makes parse the grown method, and a run against itself is quiet
        assertThat(Contexts.evaluate(new BaselineHotMethodRule(), base, now).get(0).evidence())
                .containsEntry("method", "com.acme.App.parse").containsEntry("changePoints", 55.0);
        assertThat(Contexts.evaluate(new BaselineHotMethodRule(), now, now)).isEmpty();
    }
}
