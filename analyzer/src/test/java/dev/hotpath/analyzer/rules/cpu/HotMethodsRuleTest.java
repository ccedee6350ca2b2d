package dev.hotpath.analyzer.rules.cpu;

import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.profile.ProfileSummary;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hottest method is named only when one method leads: a short recording whose top methods tie (a 20-second demo's
 * gateway: 67 samples, five methods at 2 each) says so instead of naming whichever of them sorts first.
 */
class HotMethodsRuleTest {
    private static List<Finding> evaluate(Map<String, Long> leaves) {
        CollapsedProfile p = new CollapsedProfile();
        leaves.forEach((leaf, n) -> p.add("java.lang.Thread.run;com.acme.Server.handle;" + leaf, n, n));
        return Contexts.evaluate(new HotMethodsRule(), List.of(new ProfileSummary(new Artifact(
                Path.of("/run/recording.jfr"), ArtifactType.JFR, 1, null, Map.of()), "cpu", "samples", p, 20_000)));
    }

    @Test
    void aTieForTheTopNamesNoHottestMethod() {
        List<Finding> f = evaluate(Map.of("com.acme.A.x", 6L, "com.acme.B.y", 6L, "java.util.Arrays.copyOf", 6L,
                "com.acme.D.w", 5L, "com.acme.E.v", 4L));
        assertThat(f).hasSize(1);
        assertThat(f.get(0).title()).isEqualTo("No single hottest method: 3 methods tie at 22.2% of 27 CPU samples");
        assertThat(f.get(0).summary()).isEqualTo("com.acme.A.x, com.acme.B.y, java.util.Arrays.copyOf are each on"
                + " top of 6 of 27 CPU samples (22.2%); the application frame most often on CPU (deepest non-JDK frame)"
                + " is com.acme.A.x with 22.2%.");
    }

    @Test
    void aLeaderIsNamed() {
        List<Finding> f = evaluate(Map.of("com.acme.A.x", 7L, "com.acme.B.y", 6L, "java.util.Arrays.copyOf", 6L,
                "com.acme.D.w", 5L, "com.acme.E.v", 4L));
        assertThat(f).hasSize(1);
        assertThat(f.get(0).title()).isEqualTo("com.acme.A.x is the hottest method (25% of CPU samples)");
        assertThat(f.get(0).summary()).isEqualTo("com.acme.A.x is on top of 25% of 28 CPU samples; the application"
                + " frame most often on CPU (deepest non-JDK frame) is com.acme.A.x with 25%.");
        assertThat(f.get(0).evidence()).containsEntry("hottestMethod", "com.acme.A.x").containsEntry("samples", 28L);
    }
}
