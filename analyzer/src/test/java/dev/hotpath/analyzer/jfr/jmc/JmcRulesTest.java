package dev.hotpath.analyzer.jfr.jmc;

import dev.hotpath.analyzer.jfr.testkit.Recordings;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.report.JsonReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JDK Mission Control's rules on the faulty program's recording (a monitor convoy on Ledger, System.gc() calls that
 * run G1 full collections): JMC's FullGc and JavaBlocking rules flag them, and each result maps to one finding with
 * the documented id, severity, category, texts and evidence.
 */
class JmcRulesTest {
    static List<Finding> found;

    @BeforeAll
    static void evaluate() throws Exception {
        assertThat(Recordings.faulty().reported("gcCalls")).isPositive();
        found = JmcRules.evaluate(List.of(Recordings.faulty().jfr().toFile()), List.of("faulty.jfr"));
    }

    static Finding byId(String id) {
        return found.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(
                id + " not in " + found.stream().map(Finding::id).toList()));
    }

    @Test
    void fullCollectionsFromSystemGcAreJmcsFullGcWarning() {
        Finding f = byId("jmc.FullGc");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.category()).isEqualTo(Category.GC);
        assertThat(f.title()).isEqualTo("G1/CMS Full Collection: Full GC detected.");
        assertThat(f.summary()).startsWith("Full GC detected. At least one Full, Stop-The-World Garbage Collection "
                + "occurred during this recording.");
        assertThat(f.evidence()).isEqualTo(Map.of("score", 75.0, "jmcSeverity", "WARNING", "jmcRule", "FullGc",
                "jmcTopic", "garbage_collection"));
        assertThat(f.sources()).containsExactly("faulty.jfr");
        assertThat(f.source()).isEqualTo("jmc");
        assertThat(JsonReport.finding(f)).containsEntry("source", "jmc");
    }

    @Test
    void monitorConvoyIsJmcsJavaBlockingNamingTheMonitorClass() {
        Finding f = byId("jmc.JavaBlocking");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.category()).isEqualTo(Category.LOCKS);
        assertThat(f.title()).startsWith("Java Blocking: Threads in the application were blocked on locks for a total of ");
        assertThat(f.summary()).contains("The most blocking monitor class was 'dev.hotpath.analyzer.jfr.apps.FaultyApp$Ledger'");
        assertThat((Double) f.evidence().get("score")).isBetween(75.0, 100.0);
    }

    @Test
    void onlyJmcsInfoAndWarningResultsBecomeFindingsWithTheDocumentedSeverities() {
        assertThat(found).isNotEmpty().allSatisfy(f -> {
            assertThat(f.id()).startsWith("jmc.");
            assertThat(f.evidence().get("jmcSeverity")).isIn("INFO", "WARNING");
            double score = (Double) f.evidence().get("score");
            assertThat(f.severity()).isEqualTo(score >= 75 ? Severity.WARNING : Severity.INFO);
            assertThat(score).isGreaterThanOrEqualTo(25.0);
        });
        assertThat(JmcRules.severity(74.9)).isEqualTo(Severity.INFO);
        assertThat(JmcRules.severity(75)).isEqualTo(Severity.WARNING);
        assertThat(JmcRules.category("garbage_collection")).isEqualTo(Category.GC);
        assertThat(JmcRules.category("lock_instances")).isEqualTo(Category.LOCKS);
        assertThat(JmcRules.category("tlab")).isEqualTo(Category.ALLOCATION);
        assertThat(JmcRules.category("jvm_information")).isEqualTo(Category.CONFIG);
    }
}
