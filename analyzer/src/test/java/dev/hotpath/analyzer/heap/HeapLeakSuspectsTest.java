package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.ClassLoaderLeak;
import dev.hotpath.analyzer.heap.apps.GrowingLeak;
import dev.hotpath.analyzer.heap.apps.ListenerLeak;
import dev.hotpath.analyzer.heap.apps.StaticCacheLeak;
import dev.hotpath.analyzer.heap.apps.ThreadLocalLeak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Real JVMs with planted leaks, dumped with jcmd: the first suspect names the holder exactly. */
class HeapLeakSuspectsTest {
    static final String APPS = "dev.hotpath.analyzer.heap.apps.";

    @TempDir
    Path dir;

    static HeapReport dumpAndAnalyze(Class<?> app, Path file) throws Exception {
        try (JvmFixture jvm = JvmFixture.start(app)) {
            jvm.dump(file, false);
        }
        return new HeapEngine().top(10).analyze(file);
    }

    static String text(HeapReport r) {
        StringWriter sw = new StringWriter();
        HeapText.print(r, new PrintWriter(sw));
        return sw.toString();
    }

    @Test
    void staticCollectionIsNamedByItsStaticField() throws Exception {
        HeapReport r = dumpAndAnalyze(StaticCacheLeak.class, dir.resolve("static.hprof"));
        HeapReport.Suspect s = assertStaticCacheSuspect(r);
        assertThat(s.accumulation()).isEqualTo(new HeapReport.Accumulation("java.lang.Object[]", "byte[]", 20000,
                s.accumulation().retainedBytes()));
        // 20000 byte[1000]: 16-byte array header + 1000 bytes, aligned to 8 = 1016 bytes each, plus the Object[]
        assertThat(s.accumulation().retainedBytes()).isEqualTo(20000L * 1016 + align8(16 + 4L * capacity()));
        assertThat(s.percent()).isGreaterThan(90.0);
    }

    /** StaticCacheLeak's one suspect, as any JDK's dump names it; returned for the checks that depend on the JDK. */
    static HeapReport.Suspect assertStaticCacheSuspect(HeapReport r) {
        assertThat(r.suspects()).as(text(r)).hasSize(1);
        HeapReport.Suspect s = r.suspects().get(0);
        assertThat(s.holder()).isEqualTo("static " + APPS + "StaticCacheLeak.ENTRIES");
        assertThat(s.className()).isEqualTo("java.util.ArrayList");
        assertThat(s.accumulation().className()).isEqualTo("java.lang.Object[]");
        assertThat(s.accumulation().elementClass()).isEqualTo("byte[]");
        assertThat(s.accumulation().elements()).isEqualTo(20000);
        assertThat(s.title()).startsWith("static " + APPS + "StaticCacheLeak.ENTRIES retains 19.5 MiB (")
                .endsWith("of the heap) in one java.util.ArrayList: 20000 × byte[] in java.lang.Object[]");
        return s;
    }

    /** The ArrayList's capacity after 20000 adds from the default 10, growing by half each time. */
    private static long align8(long bytes) {
        return (bytes + 7) / 8 * 8;
    }

    private static long capacity() {
        long cap = 10;
        while (cap < 20000) {
            cap = cap + (cap >> 1);
        }
        return cap;
    }

    @Test
    void threadLocalOnPooledThreadIsNamedByThread() throws Exception {
        assertThreadLocalSuspect(dumpAndAnalyze(ThreadLocalLeak.class, dir.resolve("tl.hprof")));
    }

    static void assertThreadLocalSuspect(HeapReport r) {
        assertThat(r.suspects()).as(text(r)).hasSize(1);
        HeapReport.Suspect s = r.suspects().get(0);
        assertThat(s.holder()).isEqualTo("ThreadLocal on thread \"pool-1-thread-1\"");
        assertThat(s.accumulation().className()).isEqualTo("java.lang.Object[]");
        assertThat(s.accumulation().elementClass()).isEqualTo("long[]");
        assertThat(s.accumulation().elements()).isEqualTo(5000);
    }

    @Test
    void listenerListIsNamedByStaticAndFieldPath() throws Exception {
        assertListenerSuspect(dumpAndAnalyze(ListenerLeak.class, dir.resolve("listeners.hprof")));
    }

    static void assertListenerSuspect(HeapReport r) {
        assertThat(r.suspects()).as(text(r)).hasSize(1);
        HeapReport.Suspect s = r.suspects().get(0);
        assertThat(s.holder()).isEqualTo("static " + APPS + "ListenerLeak.BUS.listeners");
        assertThat(s.className()).isEqualTo("java.util.ArrayList");
        assertThat(s.accumulation().elementClass()).isEqualTo(APPS + "ListenerLeak$Listener");
        assertThat(s.accumulation().elements()).isEqualTo(8000);
    }

    @Test
    void classLoaderLeakCountsTheLoadersItKeepsAlive() throws Exception {
        HeapReport r = dumpAndAnalyze(ClassLoaderLeak.class, dir.resolve("loaders.hprof"));
        assertThat(r.suspects()).as(text(r)).hasSize(1);
        HeapReport.Suspect s = r.suspects().get(0);
        assertThat(s.holder()).isEqualTo("static " + APPS + "ClassLoaderLeak.REGISTRY");
        assertThat(s.accumulation().elementClass()).isEqualTo(APPS + "Plugin");
        assertThat(s.accumulation().elements()).isEqualTo(20);
        assertThat(s.classLoaders()).isEqualTo(20);
        assertThat(s.title()).endsWith("; keeps 20 class loaders alive");
        // each redeploy's Plugin class is its own class: 20 java.lang.Class objects named Plugin, one instance each
        assertThat(r.histogram()).anySatisfy(c -> assertThat(c.className()).isEqualTo("byte[]"));
    }

    @Test
    void growthBetweenTwoDumpsNamesTheGrowingHolder() throws Exception {
        Path before = dir.resolve("before.hprof");
        Path after = dir.resolve("after.hprof");
        try (JvmFixture jvm = JvmFixture.start(GrowingLeak.class)) {
            jvm.dump(before, false);
            jvm.grow();
            jvm.dump(after, false);
        }
        HeapReport r = new HeapEngine().top(5).analyze(after, before);
        String holder = "static " + APPS + "GrowingLeak.SESSIONS";
        assertThat(r.holderGrowth()).as(text(r)).isNotEmpty();
        HeapReport.HolderGrowth h = r.holderGrowth().get(0);
        assertThat(h.holder()).isEqualTo(holder);
        assertThat(h.elementsAfter() - h.elementsBefore()).isEqualTo(3000);
        assertThat(r.growth()).anySatisfy(g -> {
            assertThat(g.className()).isEqualTo(APPS + "GrowingLeak$Session");
            assertThat(g.instancesDelta()).isEqualTo(3000);
            assertThat(g.holder()).isEqualTo(holder);
        });
        assertThat(r.holderGrowth()).noneSatisfy(g -> assertThat(g.holder()).endsWith("GrowingLeak.CONFIG"));
    }
}
