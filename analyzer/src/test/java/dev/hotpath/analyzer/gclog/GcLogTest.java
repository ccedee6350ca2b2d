package dev.hotpath.analyzer.gclog;

import dev.hotpath.analyzer.jfr.JfrIngester;
import dev.hotpath.analyzer.jfr.apps.PauseApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.jfr.testkit.Recordings;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.rules.gc.GcSummary;
import dev.hotpath.analyzer.rules.gc.LiveSetGrowthRule;
import dev.hotpath.analyzer.rules.gc.PauseStats;
import dev.hotpath.analyzer.rules.gc.SystemGcRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unified GC logs from real JVMs (G1, Parallel, ZGC; decorated and not) read into the JFR reader's summary. */
class GcLogTest {
    @TempDir
    Path dir;

    static GcSummary log(Path file) throws Exception {
        return Contexts.ingest(new GcLogIngester(), file, ArtifactType.GCLOG).one(GcSummary.class);
    }

    static PauseStats group(GcSummary s, String collector, String cause) {
        return s.pauses().stream().filter(p -> p.collector().equals(collector) && p.cause().equals(cause))
                .findFirst().orElseThrow(() -> new AssertionError(collector + "/" + cause + " in " + s.toJson()));
    }

    @Test
    void g1LogAndJfrOfTheSameRunAgreeAndTheSameRulesFire() throws Exception {
        GcSummary fromLog = log(Recordings.faulty().gcLog());
        GcSummary fromJfr = Contexts.ingest(new JfrIngester(), Recordings.faulty().jfr(), ArtifactType.JFR)
                .one(GcSummary.class);
        assertThat(fromLog.gcName()).isEqualTo("G1").isEqualTo(fromJfr.gcName());
        for (String[] key : new String[][] {{"G1New", "G1 Evacuation Pause"}, {"G1Full", "System.gc()"}}) {
            PauseStats l = group(fromLog, key[0], key[1]);
            PauseStats j = group(fromJfr, key[0], key[1]);
            // the log also sees collections before JFR starts recording and during shutdown after it stops
            assertThat(l.count()).as(key[0]).isBetween(j.count(), j.count() + 2);
            // the log prints each pause to the microsecond; JFR times the same pause with its own clock
            assertThat(l.maxNanos()).as(key[0]).isGreaterThanOrEqualTo(j.maxNanos() - 1_000_000L - j.maxNanos() / 50);
        }
        assertThat(fromLog.events().systemGcs()).isEqualTo(fromJfr.events().systemGcs());
        assertThat(fromLog.heapMaxBytes()).isEqualTo(256L << 20);

        Finding sys = Contexts.evaluate(new SystemGcRule(), List.of(fromLog)).get(0);
        assertThat(sys.evidence()).containsEntry("count", fromJfr.events().systemGcs())
                .containsEntry("collector", "G1Full").containsEntry("callers", List.of());
        List<Finding> growth = Contexts.evaluate(new LiveSetGrowthRule(), List.of(fromLog));
        assertThat(growth).hasSize(1);
        assertThat(growth.get(0).evidence()).containsEntry("heapMaxMb", 256.0);
        assertThat(fromLog.epochClock()).isFalse();
    }

    @Test
    void parallelLogWithoutDecorationsGivesPausesButNoClock() throws Exception {
        Path gcLog = dir.resolve("parallel.log");
        Jvm.run(Jvm.javaHome17(), List.of("-Xmx128m", "-XX:+UseParallelGC", "-Xlog:gc*:file=" + gcLog + ":none"),
                PauseApp.class, "12");
        assertThat(Files.readAllLines(gcLog).get(0)).isEqualTo("Using Parallel");
        Contexts.Ingested in = Contexts.ingest(new GcLogIngester(), gcLog, ArtifactType.GCLOG);
        GcSummary s = in.one(GcSummary.class);
        assertThat(s.gcName()).isEqualTo("Parallel");
        assertThat(group(s, "ParallelOld", "System.gc()").count()).isEqualTo(12);
        assertThat(s.events().systemGcs()).isEqualTo(12);
        assertThat(s.durationMs()).isZero();
        assertThat(in.notes).singleElement().asString().contains("no time decorations");
    }

    @Test
    void generationalZgcLogOnJdk25NamesMajorCollectionsAndSumsTheirPauses() throws Exception {
        Path gcLog = dir.resolve("z.log");
        Jvm.run(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"), List.of("-Xmx128m", "-XX:+UseZGC",
                "-Xlog:gc*:file=" + gcLog + ":time,uptime,level,tags"), PauseApp.class, "12");
        GcSummary s = log(gcLog);
        assertThat(s.gcName()).isEqualTo("Z");
        PauseStats sys = group(s, "ZGC Major", "System.gc()");
        assertThat(sys.count()).isEqualTo(12);
        // three sub-millisecond pauses per collection
        assertThat(sys.maxNanos()).isBetween(1_000L, 50_000_000L);
        assertThat(s.epochClock()).isTrue();
        assertThat(s.heapMaxBytes()).isEqualTo(128L << 20);
    }

    @Test
    void textThatIsNotAGcLogIsUnusable() throws Exception {
        Path f = dir.resolve("readme.txt");
        Files.writeString(f, "hello\nworld\n");
        assertThatThrownBy(() -> log(f)).isInstanceOf(UnusableInputException.class)
                .hasMessage(f.toAbsolutePath() + ": no unified GC log lines in 2 lines (expected -Xlog:gc output "
                        + "such as 'GC(0) Pause Young ...')");
    }
}
