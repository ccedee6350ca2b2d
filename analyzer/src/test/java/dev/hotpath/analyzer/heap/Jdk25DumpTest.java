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

    @Test
    void threadLocalOnJdk25IsNamedByThread() throws Exception {
        HeapLeakSuspectsTest.assertThreadLocalSuspect(dumpOn25(ThreadLocalLeak.class, dir.resolve("tl25.hprof")));
    }

    @Test
    void listenerListOnJdk25IsNamedByStaticAndFieldPath() throws Exception {
        HeapLeakSuspectsTest.assertListenerSuspect(dumpOn25(ListenerLeak.class, dir.resolve("listeners25.hprof")));
    }
}
