package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.NestedLeak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passes 2 and 3 split the dump's heap segments between two threads on dumps of 64 MiB and more; forced onto a
 * small real dump, the split must give the very report the sequential walk gives (every write goes to the record's
 * own node or CSR row, so nothing may depend on which thread read what).
 */
class ParallelWalkTest {
    private static final String PROP = "hotpath.heap.parallelMinBytes";

    @TempDir
    Path dir;

    @Test
    void twoThreadWalkGivesTheSameReportAsOneThread() throws Exception {
        Path dump = dir.resolve("nested.hprof");
        try (JvmFixture jvm = JvmFixture.start(NestedLeak.class)) {
            jvm.dump(dump, false);
        }
        HeapReport sequential = analyzeWith(Long.MAX_VALUE, dump);
        HeapReport parallel = analyzeWith(0, dump);
        assertThat(parallel.objects()).isEqualTo(sequential.objects()).isGreaterThan(10_000);
        assertThat(parallel.reachableBytes()).isEqualTo(sequential.reachableBytes());
        assertThat(parallel.histogram()).isEqualTo(sequential.histogram());
        assertThat(parallel.dominators()).isEqualTo(sequential.dominators());
        assertThat(parallel.suspects()).isEqualTo(sequential.suspects()).isNotEmpty();
        assertThat(parallel).isEqualTo(sequential);
    }

    private static HeapReport analyzeWith(long minBytes, Path dump) throws Exception {
        String old = System.getProperty(PROP);
        System.setProperty(PROP, Long.toString(minBytes));
        try {
            return new HeapEngine().top(20).analyze(dump);
        } finally {
            if (old == null) {
                System.clearProperty(PROP);
            } else {
                System.setProperty(PROP, old);
            }
        }
    }
}
