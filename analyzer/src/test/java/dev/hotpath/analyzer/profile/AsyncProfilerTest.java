package dev.hotpath.analyzer.profile;

import dev.hotpath.analyzer.jfr.JfrIngester;
import dev.hotpath.analyzer.jfr.apps.HealthyApp;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Jvm;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.rules.cpu.HotMethodsRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * async-profiler 4.2 (the library from its Maven jar) profiles the healthy program twice — JFR output and collapsed
 * stacks — and both read into the same cpu profile whose hottest method is the program's checksum loop.
 */
class AsyncProfilerTest {
    static final String HOT = "dev.hotpath.analyzer.jfr.apps.HealthyApp$Checksum.of";
    @TempDir
    static Path dir;
    static Path jfr;
    static Path collapsed;

    @BeforeAll
    static void profile() throws Exception {
        Path lib = AsyncProfilerJar.extractTo(dir);
        jfr = dir.resolve("cpu.jfr");
        collapsed = dir.resolve("cpu.collapsed");
        // itimer works without perf_events permissions (containers, CI)
        Jvm.run(Jvm.javaHome17(), List.of("-agentpath:" + lib + "=start,event=itimer,interval=2ms,file=" + jfr),
                HealthyApp.class, "3000");
        Jvm.run(Jvm.javaHome17(), List.of("-agentpath:" + lib + "=start,event=itimer,interval=2ms,file=" + collapsed),
                HealthyApp.class, "3000");
    }

    @Test
    void asyncProfilerJfrIsACpuProfileWithTheChecksumHottest() throws Exception {
        Contexts.Ingested in = Contexts.ingest(new JfrIngester(), jfr, ArtifactType.ASYNC_PROFILER_JFR);
        ProfileSummary cpu = in.summaries.stream().filter(s -> s instanceof ProfileSummary p && p.type().equals("cpu"))
                .map(ProfileSummary.class::cast).findFirst().orElseThrow();
        assertThat(cpu.profile().samples()).isGreaterThan(50);
        Finding f = Contexts.evaluate(new HotMethodsRule(), in.summaries).get(0);
        assertThat(f.evidence()).containsEntry("hottestAppFrame", HOT);
        assertThat((Double) f.evidence().get("appFrameSharePercent")).isGreaterThan(50.0);
    }

    @Test
    void anAllocationProfileIsNamedFromItsFileAndItsClassFramesNormalised() throws Exception {
        // async-profiler 4.2 event=alloc,collapsed on a program filling a HashMap (its allocated classes are leaves)
        Path alloc = dir.resolve("grow-alloc.collapsed");
        Files.writeString(alloc, String.join("\n",
                "Grow2.main;java/util/HashMap.put;java/util/HashMap.putVal;java/util/HashMap.newNode;java.util.HashMap$Node_[i] 2",
                "Grow2.main;byte[]_[i] 437",
                "Grow2.main;java/lang/Long.valueOf;java.lang.Long_[i] 1",
                "Grow2.main;byte[]_[k] 138", ""));
        Contexts.Ingested in = Contexts.ingest(new CollapsedIngester(), alloc, ArtifactType.COLLAPSED);
        ProfileSummary p = in.one(ProfileSummary.class);
        assertThat(p.type()).isEqualTo("alloc");
        assertThat(p.profile().samples()).isEqualTo(578);
        assertThat(in.notes).containsExactly(
                "grow-alloc.collapsed: collapsed stacks read as an alloc profile (from the file name)");
    }

    @Test
    void collapsedStacksAreNormalisedBoundedAndRankedLikeJfr() throws Exception {
        Contexts.Ingested in = Contexts.ingest(new CollapsedIngester(), collapsed, ArtifactType.COLLAPSED);
        ProfileSummary p = in.one(ProfileSummary.class);
        assertThat(p.type()).isEqualTo("cpu");
        long lines = Files.readAllLines(collapsed).stream().filter(l -> !l.isBlank()).count();
        long total = Files.readAllLines(collapsed).stream().filter(l -> !l.isBlank())
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(p.profile().samples()).isEqualTo(total);
        assertThat(p.profile().distinctStacks()).isLessThanOrEqualTo((int) lines);
        Finding f = Contexts.evaluate(new HotMethodsRule(), in.summaries).get(0);
        assertThat(f.evidence()).containsEntry("hottestAppFrame", HOT);
        assertThat(in.notes).containsExactly("cpu.collapsed: collapsed stacks read as a cpu profile (from the file name)");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) p.toJson();
        assertThat(json).containsEntry("type", "cpu").containsEntry("samples", total);
        assertThat((List<?>) json.get("stacks")).isNotEmpty();
    }

    @Test
    void profileStaysBoundedAndKeepsExactTotals() {
        CollapsedProfile p = new CollapsedProfile(3);
        for (int i = 0; i < 10; i++) {
            p.add("a;b;c" + i, 2, 20);
        }
        assertThat(p.distinctStacks()).isEqualTo(4); // three stacks and "(other)"
        assertThat(p.samples()).isEqualTo(20);
        assertThat(p.weight()).isEqualTo(200);
        assertThat(p.self(10)).extracting(CollapsedProfile.Share::frame).contains(CollapsedProfile.OTHER);
        // overflowing stacks keep their weight but lose their frames
        assertThat(p.total(2)).containsExactly(new CollapsedProfile.Share(CollapsedProfile.OTHER, 14, 140),
                new CollapsedProfile.Share("a", 6, 60));
    }

    @Test
    void asyncProfilerFrameSyntaxIsNormalised() {
        assertThat(Frames.normalise("com/acme/Foo.bar_[j]")).isEqualTo("com.acme.Foo.bar");
        assertThat(Frames.normalise("java/lang/Thread.run_[i]")).isEqualTo("java.lang.Thread.run");
        assertThat(Frames.normalise("__libc_write")).isEqualTo("__libc_write");
        assertThat(Frames.isRuntime("libc.so.6")).isTrue();
    }

    @Test
    void aFileWithoutStacksIsUnusable() throws Exception {
        Path f = dir.resolve("empty.collapsed");
        Files.writeString(f, "no counts here\n");
        assertThatThrownBy(() -> Contexts.ingest(new CollapsedIngester(), f, ArtifactType.COLLAPSED))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(f.toAbsolutePath() + ": no collapsed stacks ('frame;frame;frame count' lines) in 1 lines");
    }
}
