package dev.hotpath.analyzer.heap.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rank and select of the paged id bitmap against a sorted array of the same ids. */
class ObjectIdIndexTest {
    @Test
    void rankIsThePositionInAscendingOrderAndSelectInvertsIt() {
        SplittableRandom rnd = new SplittableRandom(7);
        long[] ids = new long[200_000];
        long addr = 0x7_0000_0000L;
        for (int i = 0; i < ids.length; i++) {
            // dense runs of 8-byte-aligned objects with occasional multi-megabyte gaps (other regions, humongous)
            addr += rnd.nextInt(100) < 2 ? 8L * rnd.nextInt(1 << 20) : 8L * (2 + rnd.nextInt(6));
            ids[i] = addr;
        }
        long[] shuffled = ids.clone();
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        ObjectIdIndex index = new ObjectIdIndex(3);
        for (long id : shuffled) {
            index.add(id);
        }
        index.add(ids[42]); // a duplicate counts once
        assertThat(index.aligned()).isTrue();
        index.finish();
        assertThat(index.count()).isEqualTo(ids.length);
        for (int i = 0; i < ids.length; i++) {
            assertThat(index.rank(ids[i])).isEqualTo(i);
        }
        for (int i = 0; i < ids.length; i += 997) {
            assertThat(index.select(i)).isEqualTo(ids[i]);
        }
        assertThat(index.select(ids.length - 1)).isEqualTo(ids[ids.length - 1]);
        assertThat(index.rank(ids[5] + 8)).isEqualTo(Arrays.binarySearch(ids, ids[5] + 8) >= 0 ? 6 : -1);
        assertThat(index.rank(ids[5] + 4)).isEqualTo(-1); // not aligned: no object there
        assertThat(index.rank(1L << 60)).isEqualTo(-1);
        assertThat(index.rank(8)).isEqualTo(-1);
        assertThatThrownBy(() -> index.select(ids.length)).isInstanceOf(IndexOutOfBoundsException.class);
        // next: the following id, across words and the multi-megabyte gaps between pages
        for (int i = 0; i + 1 < ids.length; i++) {
            assertThat(index.next(ids[i])).isEqualTo(ids[i + 1]);
        }
        assertThat(index.next(ids[ids.length - 1])).isEqualTo(-1);
        assertThat(index.next(ids[0] - 8)).isEqualTo(ids[0]);
        assertThat(index.next(0)).isEqualTo(ids[0]);
        assertThat(index.next(ids[7] + 4)).isEqualTo(ids[8]);
    }

    @Test
    void unalignedIdsAskForAFinerShift() {
        ObjectIdIndex coarse = new ObjectIdIndex(3);
        coarse.add(16);
        coarse.add(20);
        assertThat(coarse.aligned()).isFalse();
        assertThat(coarse.shiftFor()).isEqualTo(2);
        ObjectIdIndex fine = new ObjectIdIndex(coarse.shiftFor());
        fine.add(20);
        fine.add(16);
        fine.add(4);
        fine.finish();
        assertThat(fine.rank(4)).isEqualTo(0);
        assertThat(fine.rank(16)).isEqualTo(1);
        assertThat(fine.rank(20)).isEqualTo(2);
        assertThat(fine.select(2)).isEqualTo(20);
    }

    @Test
    void idsSpreadOverAHugeAddressRangeUseTheHashedPageTable() {
        ObjectIdIndex index = new ObjectIdIndex(3);
        long[] ids = {8, 1L << 40, (1L << 40) + 8, 1L << 50, (1L << 50) + 64};
        for (int i = ids.length - 1; i >= 0; i--) {
            index.add(ids[i]);
        }
        index.finish();
        for (int i = 0; i < ids.length; i++) {
            assertThat(index.rank(ids[i])).isEqualTo(i);
            assertThat(index.select(i)).isEqualTo(ids[i]);
        }
        assertThat(index.rank((1L << 50) + 8)).isEqualTo(-1);
    }
}
