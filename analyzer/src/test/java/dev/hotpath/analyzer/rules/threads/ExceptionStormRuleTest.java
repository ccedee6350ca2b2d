package dev.hotpath.analyzer.rules.threads;

import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storm's site comes from the throw events only when they account for it: a recording with JFR's default settings
 * has error events (here the nine JDK-internal NoSuchMethodErrors of method-handle warm-up that a clean demo gateway
 * recorded) but no exception events, and must not name one of those errors as the site of 22,000 throwables.
 */
class ExceptionStormRuleTest {
    private static ThreadSummary summary(long throwables, List<ThreadSummary.ExceptionSite> sites) {
        return new ThreadSummary(new Artifact(Path.of("/run/recording.jfr"), ArtifactType.JFR, 0, null, Map.of()),
                new long[0], new long[0], 0, 0, List.of(), throwables, 20_000, 20_000, sites, true);
    }

    @Test
    void aFewErrorEventsDoNotNameTheSiteOfAStormOfUnrecordedExceptions() {
        List<Finding> f = Contexts.evaluate(new ExceptionStormRule(), List.of(summary(22_000, List.of(
                new ThreadSummary.ExceptionSite("java.lang.NoSuchMethodError", "java.lang.Error.<init>", 9)))));
        assertThat(f).hasSize(1);
        assertThat(f.get(0).title()).isEqualTo("1100 exceptions per second");
        assertThat(f.get(0).summary()).isEqualTo("22000 throwables were created in 20 s (1100 per second). The"
                + " recording's 9 throw events (errors only, without exceptions=all) are too few to be these, so the"
                + " site is unknown (record with exceptions=all).");
        assertThat(f.get(0).evidence()).containsEntry("thrownClass", "").containsEntry("frame", "")
                .containsEntry("siteCount", 0L);
    }

    @Test
    void throwEventsThatAccountForTheStormNameItsSite() {
        List<Finding> f = Contexts.evaluate(new ExceptionStormRule(), List.of(summary(22_000, List.of(
                new ThreadSummary.ExceptionSite("java.lang.NumberFormatException", "com.acme.Parser.parse", 21_000),
                new ThreadSummary.ExceptionSite("java.lang.NoSuchMethodError", "java.lang.Error.<init>", 9)))));
        assertThat(f).hasSize(1);
        assertThat(f.get(0).title())
                .isEqualTo("1100 exceptions per second (java.lang.NumberFormatException at com.acme.Parser.parse)");
        assertThat(f.get(0).summary()).isEqualTo("22000 throwables were created in 20 s (1100 per second). Most"
                + " (100% of 21009 recorded) are java.lang.NumberFormatException thrown at com.acme.Parser.parse.");
        assertThat(f.get(0).evidence()).containsEntry("siteCount", 21_000L).containsEntry("siteSharePercent", 100.0);
    }
}
