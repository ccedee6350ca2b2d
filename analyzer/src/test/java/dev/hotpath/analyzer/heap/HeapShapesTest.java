package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.LinkedChain;
import dev.hotpath.analyzer.heap.apps.MixedList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Heap shapes beyond the leak fixtures: what a real program can hold that stresses the engine's walks. */
class HeapShapesTest {
    private static final String LINK = LinkedChain.Link.class.getName();

    @TempDir
    Path dir;

    @Test
    void linkedChainIsOneSuspectNamedByItsHeadsHolder() throws Exception {
        Path file = dir.resolve("chain.hprof");
        try (JvmFixture jvm = JvmFixture.startWith(Path.of(System.getProperty("java.home")),
                List.of("-Xmx64m", "-XX:+UseSerialGC"), LinkedChain.class)) {
            jvm.dump(file, false);
        }
        HeapReport r = new HeapEngine().top(10).analyze(file);
        // Link: 12 header + 4 next + 4 payload → 24; byte[16]: 16 + 16 = 32; 300000 links
        long retained = 300_000L * (24 + 32);
        assertThat(r.histogram()).filteredOn(c -> c.className().equals(LINK))
                .containsExactly(new HeapReport.ClassRow(LINK, 300_000, 300_000L * 24, retained));
        assertThat(r.suspects()).hasSize(1);
        HeapReport.Suspect s = r.suspects().get(0);
        assertThat(s.holder()).isEqualTo("static dev.hotpath.analyzer.heap.apps.LinkedChain.head");
        assertThat(s.className()).isEqualTo(LINK);
        assertThat(s.retainedBytes()).isEqualTo(retained);
        assertThat(s.accumulation()).isEqualTo(new HeapReport.Accumulation(LINK, LINK, 300_000, retained));
        assertThat(s.title()).isEqualTo(String.format(java.util.Locale.ROOT,
                "static dev.hotpath.analyzer.heap.apps.LinkedChain.head retains 16.0 MiB (%.1f%% of the heap) in one %s: "
                        + "a linked chain of 300000 × %s", s.percent(), LINK, LINK));
        assertThat(s.pathToRoot()).hasSize(3).startsWith(LINK + "@0x" + Long.toHexString(s.objectId()));
        assertThat(s.pathToRoot().get(1)).startsWith("class dev.hotpath.analyzer.heap.apps.LinkedChain .head (static)");
    }

    @Test
    void hiddenClassesAreNamedAsTheJvmNamesThemAndMixedListsCountEveryElement() throws Exception {
        Path file = dir.resolve("mixed.hprof");
        String histogram;
        try (JvmFixture jvm = JvmFixture.start(MixedList.class)) {
            histogram = jvm.classHistogram();
            jvm.dump(file, false);
        }
        // the JVM's name of the lambda class: MixedList$$Lambda$N/0x… (JDK 17)
        Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+1000\\s+16000\\s+(dev\\.hotpath\\.analyzer\\.heap\\.apps\\.MixedList\\$\\$Lambda\\S*)")
                .matcher(histogram);
        assertThat(m.find()).as(histogram).isTrue();
        String lambda = m.group(1);
        assertThat(lambda).contains("/0x");
        HeapReport r = new HeapEngine().top(100_000).analyze(file);
        // lambda: 12 header + 4 captured → 16, its int[1000]: 16 + 4000; record: 12 + 4 + 4 → 24, its int[10]: 56
        assertThat(r.histogram()).filteredOn(c -> c.className().equals(lambda))
                .containsExactly(new HeapReport.ClassRow(lambda, 1000, 16_000, 1000L * (16 + 4016)));
        String rec = MixedList.Rec.class.getName();
        assertThat(r.histogram()).filteredOn(c -> c.className().equals(rec))
                .containsExactly(new HeapReport.ClassRow(rec, 1000, 24_000, 1000L * (24 + 56)));
        HeapReport.Suspect s = r.suspects().get(0);
        assertThat(s.holder()).isEqualTo("static dev.hotpath.analyzer.heap.apps.MixedList.KEEP");
        assertThat(s.accumulation().elements()).isEqualTo(2001);
        assertThat(s.accumulation().elementClass()).isEqualTo(lambda);
        assertThat(s.title()).endsWith("in one java.util.ArrayList: 2001 elements (1000 × " + lambda + ") in java.lang.Object[]");
    }
}
