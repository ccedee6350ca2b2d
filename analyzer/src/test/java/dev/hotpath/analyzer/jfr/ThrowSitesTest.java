package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.apps.ThrowStormApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.rules.threads.ThreadSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A throw event's site is its deepest application frame; when the recorded stack holds none (a framework's deep
 * stack, a small {@code stackdepth}), it is the frame that created the throwable, below the constructors of its class
 * and superclasses that JFR records it from: not {@code java.lang.Throwable.<init>}, which every throw has. Real JVMs
 * (JDK 17) throw 20,000 NumberFormatExceptions from {@code Integer.parseInt}, recorded with {@code exceptions=all}.
 */
class ThrowSitesTest {
    @TempDir
    Path dir;

    private ThreadSummary.ExceptionSite top(String... jvmOptions) throws Exception {
        Path jfr = dir.resolve("throws-" + jvmOptions.length + ".jfr");
        List<String> options = new java.util.ArrayList<>(List.of(jvmOptions));
        options.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,exceptions=all");
        assertThat(Jvm.run(Jvm.javaHome17(), options, ThrowStormApp.class, "20000")).contains("caught 20000");
        List<ThreadSummary.ExceptionSite> sites = Contexts.ingest(new JfrIngester(), jfr, ArtifactType.JFR)
                .one(ThreadSummary.class).exceptionSites();
        return sites.get(0);
    }

    @Test
    void theApplicationFrameNamesTheSite() throws Exception {
        assertThat(top()).isEqualTo(new ThreadSummary.ExceptionSite("java.lang.NumberFormatException",
                "dev.hotpath.analyzer.jfr.apps.ThrowStormApp.parse", 20_000));
    }

    @Test
    void withoutAnApplicationFrameTheCreatorBelowTheConstructorsNamesIt() throws Exception {
        // six frames: Throwable, Exception, RuntimeException, IllegalArgumentException and NumberFormatException
        // <init>, then NumberFormatException.forInputString; Integer.parseInt and the app are cut off
        assertThat(top("-XX:FlightRecorderOptions:stackdepth=6")).isEqualTo(new ThreadSummary.ExceptionSite(
                "java.lang.NumberFormatException", "java.lang.NumberFormatException.forInputString", 20_000));
    }
}
