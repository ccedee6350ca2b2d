package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.apps.HealthyApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.profile.ProfileSummary;
import dev.hotpath.analyzer.rules.cpu.HotMethodsRule;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real recordings of kinds the other JFR tests do not make: JDK 25's CPU-time sampler alone, a live repository. */
class JfrInputsTest {
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path dir;

    @Test
    void jdk25CpuTimeSamplesAloneMakeTheCpuProfile() throws Exception {
        Path jfr = dir.resolve("cputime.jfr");
        Jvm.run(JDK25, List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,"
                + "+jdk.CPUTimeSample#enabled=true,+jdk.ExecutionSample#enabled=false"), HealthyApp.class, "2500");
        long cpuTime = 0;
        long execution = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.CPUTimeSample") && e.getStackTrace() != null) {
                cpuTime++;
            } else if (type.equals("jdk.ExecutionSample")) {
                execution++;
            }
        }
        assertThat(execution).isZero();
        assertThat(cpuTime).isGreaterThan(20);
        Contexts.Ingested in = Contexts.ingest(new JfrIngester(), jfr, ArtifactType.JFR);
        ProfileSummary cpu = in.summaries.stream()
                .filter(s -> s instanceof ProfileSummary p && p.type().equals("cpu"))
                .map(ProfileSummary.class::cast).findFirst().orElseThrow();
        assertThat(cpu.profile().samples()).isEqualTo(cpuTime);
        Finding hot = Contexts.evaluate(new HotMethodsRule(), in.summaries).get(0);
        assertThat(hot.evidence()).containsEntry("samples", cpuTime)
                .containsEntry("hottestAppFrame", "dev.hotpath.analyzer.jfr.apps.HealthyApp$Checksum.of");
    }

    @Test
    void aLiveRepositorysCurrentChunkIsNamedAsUnfinished() throws Exception {
        Path repo = dir.resolve("repo");
        List<String> cmd = List.of(Jvm.javaHome17().resolve("bin/java").toString(),
                "-XX:FlightRecorderOptions:repository=" + repo, "-XX:StartFlightRecording=settings=default",
                "-cp", Jvm.testClasses().toString(), HealthyApp.class.getName(), "30000");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile())
                .start();
        Path copy = dir.resolve("current.jfr");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(copy) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                for (Path f : chunkFiles(repo)) {
                    // the JVM has written events into the file but not yet its chunk's size
                    if (Files.size(f) > 68 && declaredChunkSize(f) == 68) {
                        Files.copy(f, copy);
                        break;
                    }
                }
            }
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertThat(copy).exists();
        long size = Files.size(copy);
        assertThatThrownBy(() -> Contexts.ingest(new JfrIngester(), copy, ArtifactType.JFR))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(copy.toAbsolutePath() + ": unfinished JFR chunk: the JVM was still writing it (the current "
                        + "file of a live repository, or the JVM died), and its " + (size - 68) + " bytes of events "
                        + "have no metadata to read them with yet; dump the recording with jcmd <pid> JFR.dump, or "
                        + "read the repository's finished files");
    }

    /**
     * JFR names every Shenandoah cycle "Shenandoah"; only the cycle's jdk.GCPhasePause "Pause Full" marks a full GC.
     * A JDK 25 run whose System.gc() calls are full collections (-XX:-ExplicitGCInvokesConcurrent), recorded with JFR
     * and logged at once: both readers name them Shenandoah Full, and count the same.
     */
    @Test
    void shenandoahFullCollectionsAreFullFromJfrAsFromTheLog() throws Exception {
        Path jfr = dir.resolve("shen.jfr");
        Path log = dir.resolve("shen.log");
        Jvm.run(JDK25, List.of("-XX:+UseShenandoahGC", "-Xmx128m", "-XX:-ExplicitGCInvokesConcurrent",
                "-Xlog:gc:file=" + log + ":uptime,level,tags", Jvm.jfr(jfr, "default")),
                dev.hotpath.analyzer.jfr.apps.PauseApp.class, "4");
        long fullPhases = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().equals("jdk.GCPhasePause") && e.getString("name").equals("Pause Full")) {
                fullPhases++;
            }
        }
        assertThat(fullPhases).isEqualTo(4);
        dev.hotpath.analyzer.rules.gc.GcSummary fromJfr = Contexts.ingest(new JfrIngester(), jfr, ArtifactType.JFR)
                .one(dev.hotpath.analyzer.rules.gc.GcSummary.class);
        dev.hotpath.analyzer.rules.gc.GcSummary fromLog = Contexts.ingest(new dev.hotpath.analyzer.gclog.GcLogIngester(),
                log, ArtifactType.GCLOG).one(dev.hotpath.analyzer.rules.gc.GcSummary.class);
        for (dev.hotpath.analyzer.rules.gc.GcSummary s : List.of(fromJfr, fromLog)) {
            assertThat(s.gcName()).isEqualTo("Shenandoah");
            assertThat(s.events().fullGcs()).isEqualTo(4);
            assertThat(s.events().systemGcs()).isEqualTo(4);
            assertThat(s.pauses()).filteredOn(p -> p.collector().equals("Shenandoah Full"))
                    .singleElement().satisfies(p -> {
                        assertThat(p.cause()).isEqualTo("System.gc()");
                        assertThat(p.count()).isEqualTo(4);
                    });
        }
    }

    static List<Path> chunkFiles(Path repo) throws Exception {
        if (!Files.isDirectory(repo)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(repo)) {
            return new ArrayList<>(s.filter(f -> f.toString().endsWith(".jfr")).toList());
        }
    }

    static long declaredChunkSize(Path f) throws Exception {
        try (FileChannel ch = FileChannel.open(f)) {
            ByteBuffer b = ByteBuffer.allocate(16);
            ch.read(b, 0);
            return b.position() == 16 ? b.getLong(8) : -1;
        }
    }
}
