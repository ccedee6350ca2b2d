package dev.hotpath.agent.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distinct-block sketch against an oracle built from the same hash: the set of bits the blocks map to gives the
 * exact clear-bit count, hence the exact estimate the formula must return.
 */
class DistinctBlocksTest {
    private static SiteCounter fileRead(String target) {
        return new SiteCounter("s", "C", "m", 1, Ops.KIND_FILE, Ops.READ, target);
    }

    /**
     * The estimate linear counting gives for these block indexes, from the hash alone: the bits they map to, counted
     * per lane (bits 8l..8l+7 of every 64-bit word), each lane's {@code -1024 ln(clear / 1024)} summed; a lane with
     * fewer than 4 clear bits counts {@code 1024 ln(128)} and the sum is rounded down.
     */
    private static long oracle(long... blocks) {
        BitSet bits = new BitSet(DistinctBlocks.BITS);
        for (long b : blocks) {
            bits.set(DistinctBlocks.bit(b));
        }
        double sum = 0;
        boolean saturated = false;
        for (int lane = 0; lane < 8; lane++) {
            int zeros = 1024;
            for (int word = 0; word < 128; word++) {
                for (int k = 0; k < 8; k++) {
                    if (bits.get(word * 64 + lane * 8 + k)) {
                        zeros--;
                    }
                }
            }
            if (zeros < 4) {
                sum += 1024 * Math.log(128);
                saturated = true;
            } else {
                sum += -1024 * Math.log(zeros / 1024.0);
            }
        }
        return saturated ? (long) Math.floor(sum) : Math.round(sum);
    }

    private static long[] range(long from, long n, long step) {
        long[] r = new long[(int) n];
        for (int i = 0; i < n; i++) {
            r[i] = from + i * step;
        }
        return r;
    }

    @Test
    void onlyFileReadsOfNamedTargetsKeepABitmap() {
        assertThat(fileRead("/data/idx.bin").cells).hasSize(DistinctBlocks.LENGTH);
        // the bitmap starts right after the counter stripes, which every counter has
        assertThat(new SiteCounter("s", "C", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/d").cells)
                .hasSize(DistinctBlocks.BASE);
        assertThat(new SiteCounter("s", "C", "m", 1, Ops.KIND_SOCKET, Ops.READ, "10.0.0.1:80").cells)
                .hasSize(DistinctBlocks.BASE);
        assertThat(new SiteCounter("s", "C", "m", 1, Ops.KIND_FILE, Ops.TRANSFER, "/d").cells)
                .hasSize(DistinctBlocks.BASE);
        assertThat(fileRead(SiteRegistry.OTHER).cells).hasSize(DistinctBlocks.BASE);
        assertThat(fileRead("(fd)").cells).hasSize(DistinctBlocks.BASE);
        SiteCounter write = new SiteCounter("s", "C", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/d");
        DistinctBlocks.mark(write.cells, 0, 4096); // no bitmap: nothing happens
        assertThat(write.distinctBytes()).isEqualTo(-1);
        assertThat(write.distinctSaturated()).isFalse();
        assertThat(fileRead("/d").distinctBytes()).as("nothing read yet").isEqualTo(-1);
    }

    @Test
    void sixtyFourHotBlocksReadTwentyThousandTimesEstimateTheOraclesCount() {
        SiteCounter c = fileRead("/data/idx.bin");
        long[] blocks = range(0, 64, 256); // one 4 KiB block per MiB of a 64 MiB file
        for (int i = 0; i < 20_000; i++) {
            long pos = blocks[(i * 37) % 64] << 12;
            DistinctBlocks.mark(c.cells, pos, pos + 4096);
            c.record(-1, 4096, false, 2);
        }
        long expected = oracle(blocks);
        assertThat(DistinctBlocks.blocks(c.cells)).isEqualTo(expected);
        // what linear counting promises for 64 items in 1,024 bits: 1 MiB apart, every block is at lane 0 of its region
        assertThat(expected).isBetween(62L, 66L);
        assertThat(c.distinctBytes()).isEqualTo(expected * 4096);
        assertThat(c.distinctSaturated()).isFalse();
        assertThat(DistinctBlocks.zeroBits(c.cells)).isEqualTo(DistinctBlocks.BITS - bitsOf(blocks));
    }

    private static int bitsOf(long[] blocks) {
        BitSet bits = new BitSet();
        for (long b : blocks) {
            bits.set(DistinctBlocks.bit(b));
        }
        return bits.cardinality();
    }

    @Test
    void aReadMarksEveryBlockItTouches() {
        // unaligned 4 KiB: two blocks; 1 MiB aligned: 256; one byte at the end of a block: one; nothing for empty or
        // negative ranges
        SiteCounter c = fileRead("/f");
        DistinctBlocks.mark(c.cells, 4096 + 100, 4096 + 100 + 4096);
        assertThat(DistinctBlocks.blocks(c.cells)).isEqualTo(oracle(1, 2));
        DistinctBlocks.mark(c.cells, 1L << 30, (1L << 30) + (1 << 20));
        DistinctBlocks.mark(c.cells, 8191, 8192);
        DistinctBlocks.mark(c.cells, 99L << 12, 99L << 12);
        DistinctBlocks.mark(c.cells, -4096, 4096);
        long[] all = new long[258];
        all[0] = 1;
        all[1] = 2;
        System.arraycopy(range(1L << 18, 256, 1), 0, all, 2, 256);
        assertThat(DistinctBlocks.blocks(c.cells)).isEqualTo(oracle(all));
        assertThat(DistinctBlocks.saturated(c.cells)).isFalse();
    }

    @Test
    void aFileReadOnceHasAsManyDistinctBytesAsBytes() {
        SiteCounter c = fileRead("/f");
        for (long pos = 0; pos < 64L << 20; pos += 65536) { // 64 MiB sequentially, 64 KiB at a time
            DistinctBlocks.mark(c.cells, pos, pos + 65536);
            c.record(-1, 65536, false, 1);
        }
        long est = oracle(range(0, 16384, 1));
        assertThat(DistinctBlocks.blocks(c.cells)).isEqualTo(est);
        assertThat((double) est).isCloseTo(16384, org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(c.distinctBytes()).isEqualTo(Math.min(64L << 20, est * 4096));
        assertThat(c.distinctSaturated()).isFalse();
    }

    @Test
    void tooFewClearBitsClaimOnlyTheLowerBound() {
        SiteCounter c = fileRead("/f");
        // 100,000 distinct blocks (390 MiB) in 16 MiB reads: each marks its 4096 blocks in full
        for (long pos = 0; pos < 100_000L * 4096; pos += 4096L * 4096) {
            long end = Math.min(pos + 4096L * 4096, 100_000L * 4096);
            DistinctBlocks.mark(c.cells, pos, end);
            c.record(-1, end - pos, false, 1);
        }
        assertThat(DistinctBlocks.zeroBits(c.cells)).isLessThan(DistinctBlocks.MIN_ZERO_BITS);
        assertThat(c.distinctSaturated()).isTrue();
        assertThat(DistinctBlocks.SATURATED_BLOCKS).isEqualTo(39_747);
        assertThat(c.distinctBytes()).isEqualTo(39_747L * 4096);
    }

    @Test
    void aReadOfMoreThanSixteenMiBMarksItsFirstSixteenAndFlagsTheKey() {
        SiteCounter c = fileRead("/f");
        DistinctBlocks.mark(c.cells, 0, 32L << 20);
        c.record(-1, 32L << 20, false, 1);
        long est = oracle(range(0, DistinctBlocks.MAX_BLOCKS_PER_OP, 1));
        assertThat(DistinctBlocks.blocks(c.cells)).isEqualTo(est);
        assertThat(DistinctBlocks.zeroBits(c.cells)).isGreaterThan(DistinctBlocks.MIN_ZERO_BITS);
        assertThat(c.distinctSaturated()).as("a lower bound: half the read was not marked").isTrue();
        assertThat(c.distinctBytes()).isEqualTo(est * 4096);
    }

    @Test
    void aReadWithinOneRegionSetsOneWordAndIsExact() {
        // a 16 KiB read: four blocks of one 32 KiB region, one bit in each of lanes 0-3 of one word (one cache line)
        SiteCounter c = fileRead("/f");
        DistinctBlocks.mark(c.cells, 0, 16384);
        int words = 0;
        for (int i = 0; i < DistinctBlocks.WORDS; i++) {
            long w = c.cells[DistinctBlocks.BASE + i];
            if (w != 0) {
                words++;
                assertThat(Long.bitCount(w)).isEqualTo(4);
                for (int lane = 0; lane < 4; lane++) {
                    assertThat(Long.bitCount(w >>> 8 * lane & 0xFF)).as("lane %d", lane).isEqualTo(1);
                }
                assertThat(w >>> 32).as("lanes 4-7").isZero();
            }
        }
        assertThat(words).isEqualTo(1);
        assertThat(DistinctBlocks.blocks(c.cells)).isEqualTo(4);
        // every block of a region has its own lane, so a region never collides with itself: 32 KiB files read whole
        // are exact whatever the hash
        for (long region = 0; region < 1000; region++) {
            long[] one = fileRead("/f").cells;
            DistinctBlocks.mark(one, region << 15, (region + 1) << 15);
            assertThat(DistinctBlocks.blocks(one)).as("region %d", region).isEqualTo(8);
            assertThat(DistinctBlocks.zeroBits(one)).isEqualTo(DistinctBlocks.BITS - 8);
        }
    }

    @Test
    void readsThatAllStartAtOneOffsetOfTheirRegionAreCountedInOneLane() {
        // 4 KiB reads 32 KiB apart: every block is at lane 0, so one lane of 1,024 bits holds all 3,000; the sum of
        // the lanes' estimates still counts them (one formula over all 8,192 bits would say ~1,030)
        SiteCounter c = fileRead("/f");
        long[] blocks = range(0, 3000, 8);
        for (long b : blocks) {
            DistinctBlocks.mark(c.cells, b << 12, (b << 12) + 4096);
        }
        long est = oracle(blocks);
        assertThat(DistinctBlocks.blocks(c.cells)).isEqualTo(est);
        assertThat((double) est).isCloseTo(3000, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(DistinctBlocks.laneZeroBits(c.cells)).containsExactly(DistinctBlocks.zeroBits(c.cells) - 7 * 1024,
                1024, 1024, 1024, 1024, 1024, 1024, 1024);
        assertThat(c.distinctSaturated()).isFalse();
    }

    @Test
    void concurrentMarkingEndsWithTheSequentialBitmap() throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        long[][] ranges = new long[8][];
        for (int t = 0; t < ranges.length; t++) {
            ranges[t] = new long[20_000];
            for (int i = 0; i < ranges[t].length; i++) {
                ranges[t][i] = rnd.nextLong(3000) << 12; // overlapping hot sets: most marks find their bit set
            }
        }
        long[] sequential = fileRead("/f").cells;
        for (long[] r : ranges) {
            for (long pos : r) {
                DistinctBlocks.mark(sequential, pos + 17, pos + 17 + 6000);
            }
        }
        long[] shared = fileRead("/f").cells;
        List<Thread> ts = new ArrayList<>();
        for (long[] r : ranges) {
            Thread th = new Thread(() -> {
                for (long pos : r) {
                    DistinctBlocks.mark(shared, pos + 17, pos + 17 + 6000);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(shared).isEqualTo(sequential);
        assertThat(DistinctBlocks.blocks(shared)).isEqualTo(oracle(range(0, 3001, 1)));
    }
}
