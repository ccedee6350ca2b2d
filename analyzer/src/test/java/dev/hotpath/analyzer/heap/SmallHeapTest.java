package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.ManyObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dump whose index does not fit the analysing JVM's heap gets one clear line naming the -Xmx in force, not an
 * OutOfMemoryError with a stack trace; with enough heap the same dump is analysed.
 */
class SmallHeapTest {
    @TempDir
    Path dir;

    @Test
    void indexLargerThanTheHeapIsRefusedInOneLine() throws Exception {
        Path dump = dir.resolve("many.hprof");
        try (JvmFixture jvm = JvmFixture.start(ManyObjects.class)) {
            jvm.dump(dump, false);
        }
        assertThat(probe("-Xmx20m", dump)).startsWith("REFUSED ").contains("many.hprof")
                .contains("too large for this JVM's heap (-Xmx").contains("run with a larger -Xmx");
        assertThat(probe("-Xmx256m", dump)).matches("ANALYSED 6\\d\\d\\d\\d\\d");
    }

    private static String probe(String xmx, Path dump) throws Exception {
        Process p = new ProcessBuilder(JvmFixture.bin("java").toString(), xmx, "-cp", System.getProperty("java.class.path"),
                HeapTooLargeProbe.class.getName(), dump.toString()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
