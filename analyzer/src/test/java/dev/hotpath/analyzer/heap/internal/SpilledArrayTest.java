package dev.hotpath.analyzer.heap.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Index files with 16-byte blocks (4 ints or 2 longs per block), so that every read pattern the engine uses —
 * random, ascending, descending, whole-array reload — crosses block boundaries and evicts cache slots constantly.
 */
class SpilledArrayTest {
    @TempDir
    Path work;

    @Test
    void intsReadBackRandomlyForwardBackwardAndWhole() throws Exception {
        int n = 100_003; // not a multiple of the block: the last block is partial
        int[] a = new int[n];
        Random r = new Random(42);
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt();
        }
        try (SpillDir dir = new SpillDir(work, 16)) {
            SpilledArray f = dir.ints("a", a, n);
            assertThat(f.length()).isEqualTo(n);
            for (int k = 0; k < 200_000; k++) {
                int i = r.nextInt(n);
                assertThat(f.getInt(i)).isEqualTo(a[i]);
            }
            for (int i = n - 1; i >= 0; i--) {
                assertThat(f.getInt(i)).isEqualTo(a[i]);
            }
            for (int i = 0; i < n; i++) {
                assertThat(f.getInt(i)).isEqualTo(a[i]);
            }
            assertThat(f.readInts()).isEqualTo(a);
            assertThatThrownBy(() -> f.get(n)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void longsAndSequentialWritesKeepFullSixtyFourBits() throws Exception {
        try (SpillDir dir = new SpillDir(work, 16)) {
            long[] a = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, 0x1234_5678_9abcL, 7};
            SpilledArray f = dir.longs("l", a, a.length);
            for (int i = a.length - 1; i >= 0; i--) {
                assertThat(f.get(i)).isEqualTo(a[i]);
            }
            SpilledArray.Writer w = dir.writer("seq", 4);
            for (int i = 0; i < 3_000_000; i++) { // more than one 1 MiB write buffer
                w.add(i * 3);
            }
            SpilledArray s = w.finish();
            assertThat(s.length()).isEqualTo(3_000_000);
            assertThat(s.getInt(2_999_999)).isEqualTo(8_999_997);
            assertThat(s.getInt(262_144)).isEqualTo(786_432);
            assertThat(s.getInt(0)).isZero();
        }
    }

    @Test
    void closeDeletesTheDirectoryUnderTheWorkDir() throws Exception {
        SpillDir dir = new SpillDir(work.resolve("nested/work"), 1 << 13);
        Path d = dir.dir();
        assertThat(d.getParent()).isEqualTo(work.resolve("nested/work"));
        SpilledArray x = dir.ints("x", new int[]{1, 2, 3}, 3);
        dir.longs("y", new long[]{4}, 1);
        // unlinked when opened (DELETE_ON_CLOSE on Linux): nothing to leave behind even on kill -9
        try (var files = Files.list(d)) {
            assertThat(files.count()).isZero();
        }
        x.release();
        assertThatThrownBy(() -> x.get(0)).hasCauseInstanceOf(java.nio.channels.ClosedChannelException.class);
        dir.close();
        assertThat(d).doesNotExist();
        try (var files = Files.list(work.resolve("nested/work"))) {
            assertThat(files.count()).isZero();
        }
        assertThatThrownBy(() -> new SpillDir(work, 24)).isInstanceOf(IllegalArgumentException.class);
    }
}
