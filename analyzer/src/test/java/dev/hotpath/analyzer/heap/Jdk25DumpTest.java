package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.ListenerLeak;
import dev.hotpath.analyzer.heap.apps.StaticCacheLeak;
import dev.hotpath.analyzer.heap.apps.ThreadLocalLeak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leak fixtures run on JDK 25 ({@link JvmFixture#JDK25}) and dumped with JDK 25's jcmd: the same suspects, holders
 * and accumulation points as on JDK 17 ({@link HeapLeakSuspectsTest}). JDK 25's dumps differ in the JDK classes they
 * hold (and their field layouts), not in the records hotpath reads.
 */
class Jdk25DumpTest {
    @TempDir
    Path dir;

    static HeapReport dumpOn25(Class<?> app, Path file) throws Exception {
        assertThat(Files.isExecutable(JvmFixture.JDK25.resolve("bin/jcmd"))).as("JDK 25 at " + JvmFixture.JDK25).isTrue();
        try (JvmFixture jvm = JvmFixture.startOn(JvmFixture.JDK25, app)) {
            jvm.dump(file, false);
        }
        return new HeapEngine().top(10).analyze(file);
    }

    @Test
    void staticCollectionOnJdk25IsNamedByItsStaticField() throws Exception {
        HeapLeakSuspectsTest.assertStaticCacheSuspect(dumpOn25(StaticCacheLeak.class, dir.resolve("static25.hprof")));
    }

    /**
     * JDK 25 formats dead heap gaps as fillers: the dump holds the two filler classes, and the filler arrays as
     * PRIM_ARRAY_DUMP int records (no class named), unreachable. They leave the int[] row of the histogram and get one
     * note; nothing in the report names them. Parallel GC: its live dump (as measured) keeps fillers, the largest MiBs.
     */
    @Test
    void heapFillersOfJdk25AreOneNoteAndNoHistogramRowOrFinding() throws Exception {
        Path file = dir.resolve("fillers25.hprof");
        try (JvmFixture jvm = JvmFixture.startWith(JvmFixture.JDK25, java.util.List.of("-Xmx64m", "-XX:+UseParallelGC"),
                StaticCacheLeak.class)) {
            jvm.dump(file, false);
        }
        try (HeapAnalysis a = HeapAnalysis.open(file, dir.resolve("work"))) {
            HeapIndex index = a.index();
            assertThat(java.util.Arrays.stream(index.classes()).map(c -> c.name).filter(n -> n.contains("Filler")).sorted())
                    .containsExactly("jdk.internal.vm.FillerElement[]", "jdk.internal.vm.FillerObject");
            // independently of Fillers: every int[] node, and those no GC root reaches
            long ints = 0;
            long intBytes = 0;
            long deadInts = 0;
            long deadIntBytes = 0;
            java.util.Set<Long> fillerIds = new java.util.HashSet<>();
            for (int v = 1; v <= index.objectCount(); v++) {
                if (!index.isClassObject(v) && index.classOf(v).name.equals("int[]")) {
                    ints++;
                    intBytes += index.shallow(v);
                    if (a.dominators().idom(v) < 0) {
                        deadInts++;
                        deadIntBytes += index.shallow(v);
                        fillerIds.add(index.id(v));
                    }
                }
            }
            assertThat(deadInts).isPositive();
            assertThat(index.fillerCount).isEqualTo(deadInts);
            assertThat(index.fillerBytes).isEqualTo(deadIntBytes);
            HeapReport r = new ReportBuilder(a).top(10_000).build(true);
            assertThat(r.notes()).contains(deadInts + " heap fillers of " + Bytes.format(deadIntBytes) + " (" + deadInts
                    + " unreachable int[] that the JVM writes for jdk.internal.vm.FillerElement[], 0 jdk.internal.vm.FillerObject"
                    + " or jdk.internal.vm.FillerElement[] instances): padding of the JVM's heap gaps, not program data; left out"
                    + " of the histogram, the suspects and the waste");
            assertThat(r.notes().stream().filter(n -> n.contains("heap fillers"))).hasSize(1);
            HeapReport.ClassRow intRow = r.histogram().stream().filter(c -> c.className().equals("int[]")).findFirst().orElseThrow();
            assertThat(intRow.instances()).isEqualTo(ints - deadInts);
            assertThat(intRow.shallowBytes()).isEqualTo(intBytes - deadIntBytes);
            assertThat(r.histogram()).noneMatch(c -> c.className().contains("Filler"));
            assertThat(r.suspects()).noneMatch(s -> s.title().contains("Filler") || fillerIds.contains(s.objectId()));
            // the filler classes' own class objects are system classes like any other (a row with top 10000)
            assertThat(r.dominators()).noneMatch(d -> d.className().startsWith("jdk.internal.vm.Filler")
                    || d.className().equals("int[]") && fillerIds.contains(d.objectId()));
            assertThat(r.waste()).noneMatch(w -> w.description().contains("Filler") || String.join(" ", w.examples()).contains("Filler")
                    || fillerIds.stream().anyMatch(id -> String.join(" ", w.examples()).contains("@0x" + Long.toHexString(id))));
            HeapLeakSuspectsTest.assertStaticCacheSuspect(r);
        }
    }

    @Test
    void threadLocalOnJdk25IsNamedByThread() throws Exception {
        HeapLeakSuspectsTest.assertThreadLocalSuspect(dumpOn25(ThreadLocalLeak.class, dir.resolve("tl25.hprof")));
    }

    @Test
    void listenerListOnJdk25IsNamedByStaticAndFieldPath() throws Exception {
        HeapLeakSuspectsTest.assertListenerSuspect(dumpOn25(ListenerLeak.class, dir.resolve("listeners25.hprof")));
    }
}
