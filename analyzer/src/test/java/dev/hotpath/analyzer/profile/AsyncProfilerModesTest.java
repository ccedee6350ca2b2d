package dev.hotpath.analyzer.profile;

import dev.hotpath.analyzer.jfr.JfrIngester;
import dev.hotpath.analyzer.jfr.apps.HealthyApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.rules.cpu.HotMethodsRule;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * async-profiler 4.2 modes and outputs the first test does not cover: wall-clock JFR ({@code profiler.WallClockSample},
 * which was not read at all) and collapsed stacks whose counts sum past a 64-bit total (the totals wrapped negative
 * and the profile vanished from every rule).
 */
class AsyncProfilerModesTest {
    @TempDir
    static Path dir;
    static Path wall;
    static Path collapsed;

    @BeforeAll
    static void profile() throws Exception {
        Path lib = AsyncProfilerJar.extractTo(dir);
        wall = dir.resolve("wall.jfr");
        collapsed = dir.resolve("cpu.collapsed");
        Jvm.run(Jvm.javaHome17(), List.of("-agentpath:" + lib + "=start,event=wall,interval=5ms,file=" + wall),
                HealthyApp.class, "1500");
        Jvm.run(Jvm.javaHome17(), List.of("-agentpath:" + lib + "=start,event=itimer,interval=2ms,file=" + collapsed),
                HealthyApp.class, "1500");
    }

    @Test
    void wallClockJfrIsAWallProfileWeightedByItsSamplesField() throws Exception {
        long events = 0;
        long samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(wall)) {
            if (e.getEventType().getName().equals("profiler.WallClockSample")) {
                events++;
                samples += e.getLong("samples");
            }
        }
        assertThat(events).isGreaterThan(50);
        Contexts.Ingested in = Contexts.ingest(new JfrIngester(), wall, ArtifactType.ASYNC_PROFILER_JFR);
        ProfileSummary p = in.summaries.stream()
                .filter(s -> s instanceof ProfileSummary ps && ps.type().equals("wall"))
                .map(ProfileSummary.class::cast).findFirst().orElseThrow();
        assertThat(p.unit()).isEqualTo("samples");
        assertThat(p.profile().samples()).isEqualTo(events);
        assertThat(p.profile().weight()).isEqualTo(samples);
        // async-profiler writes no GC events; saying they were "disabled" would send the user looking for a setting
        assertThat(in.notes).noneMatch(n -> n.contains("no GC events"));
    }

    @Test
    void countsSummingPastALongAreScaledSoSharesStayTheSame() throws Exception {
        List<String> huge = new ArrayList<>();
        for (String line : Files.readAllLines(collapsed)) {
            if (!line.isBlank()) {
                huge.add(line + "00000000000000000"); // every count × 10^17
            }
        }
        Path big = dir.resolve("huge-cpu.collapsed");
        Files.write(big, huge);
        Contexts.Ingested small = Contexts.ingest(new CollapsedIngester(), collapsed, ArtifactType.COLLAPSED);
        Contexts.Ingested large = Contexts.ingest(new CollapsedIngester(), big, ArtifactType.COLLAPSED);
        ProfileSummary p = large.one(ProfileSummary.class);
        long total = small.one(ProfileSummary.class).profile().samples();
        assertThat(total).isGreaterThan(100);
        // total × 10^17 needs more than 63 bits once total ≥ 93; the divisor is the smallest that fits 2^62
        long divisor = (long) Math.ceil(total * 1e17 / 0x1p62);
        assertThat(large.notes).singleElement().asString().startsWith("huge-cpu.collapsed: collapsed stacks read as a "
                + "cpu profile (from the file name); counts divided by " + divisor + " (their sum, ");
        assertThat(p.profile().samples()).isPositive().isEqualTo(p.profile().weight());
        Finding f1 = Contexts.evaluate(new HotMethodsRule(), small.summaries).get(0);
        Finding f2 = Contexts.evaluate(new HotMethodsRule(), large.summaries).get(0);
        assertThat(f2.evidence().get("hottestAppFrame")).isEqualTo(f1.evidence().get("hottestAppFrame"))
                .isEqualTo("dev.hotpath.analyzer.jfr.apps.HealthyApp$Checksum.of");
        assertThat(f2.evidence().get("sharePercent")).isEqualTo(f1.evidence().get("sharePercent"));
        assertThat(f2.evidence().get("appFrameSharePercent")).isEqualTo(f1.evidence().get("appFrameSharePercent"));
    }
}
