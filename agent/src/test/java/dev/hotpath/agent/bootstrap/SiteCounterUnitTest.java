package dev.hotpath.agent.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stripe's operations of its unit size (the byte count of its first operation that moved bytes) are counted with one
 * add and no bytes add; the counts, bytes and patterns read back are those of every operation, whatever its size.
 */
class SiteCounterUnitTest {
    private static SiteCounter key() {
        return new SiteCounter("A.get(A.java:3)", "A", "get", 3, Ops.KIND_FILE, Ops.WRITE, "/d/f");
    }

    @Test
    void unitSizedOperationsAddNoBytesAndAreCountedWhole() {
        SiteCounter k = key();
        int base = SiteCounter.stripe(5);
        SiteCounter.add(k.cells, base, 4096, false, 1);
        SiteCounter.add(k.cells, base, 4096, false, 2);
        SiteCounter.add(k.cells, base, 4096, false, 0);
        SiteCounter.add(k.cells, base, 100, false, 1);
        SiteCounter.add(k.cells, base, 4096, true, 2);
        assertThat(k.cells[base + SiteCounter.UNIT]).isEqualTo(4096);
        assertThat(k.cells[base + SiteCounter.SEQUENTIAL_UNITS]).isEqualTo(1);
        assertThat(k.cells[base + SiteCounter.RANDOM_UNITS]).isEqualTo(2);
        assertThat(k.cells[base + SiteCounter.UNCLASSIFIED_UNITS]).isEqualTo(1);
        assertThat(k.cells[base + SiteCounter.SEQUENTIAL]).isEqualTo(1);
        assertThat(k.cells[base + SiteCounter.BYTES]).isEqualTo(100);
        assertThat(k.count()).isEqualTo(5);
        assertThat(k.bytes()).isEqualTo(4 * 4096 + 100);
        assertThat(k.sequentialOps()).isEqualTo(2);
        assertThat(k.randomOps()).isEqualTo(2);
        assertThat(k.errors()).isEqualTo(1);
        assertThat(k.pattern()).isEqualTo("mixed");
    }

    /** An empty read (end of file) before the first one that moves bytes must not be multiplied by the later unit. */
    @Test
    void operationsMovingNothingNeverTakeTheUnit() {
        SiteCounter k = key();
        int base = SiteCounter.stripe(0);
        SiteCounter.add(k.cells, base, 0, false, 0);
        SiteCounter.add(k.cells, base, 0, true, 0);
        SiteCounter.add(k.cells, base, 512, false, 0);
        SiteCounter.add(k.cells, base, 0, false, 0);
        SiteCounter.add(k.cells, base, 512, false, 0);
        assertThat(k.cells[base + SiteCounter.UNIT]).isEqualTo(512);
        assertThat(k.cells[base + SiteCounter.UNCLASSIFIED]).isEqualTo(3);
        assertThat(k.cells[base + SiteCounter.UNCLASSIFIED_UNITS]).isEqualTo(2);
        assertThat(k.count()).isEqualTo(5);
        assertThat(k.bytes()).isEqualTo(1024);
        assertThat(k.errors()).isEqualTo(1);
        assertThat(k.pattern()).isEqualTo("n/a");
    }

    /** Each stripe keeps its own unit; timed operations ({@link SiteCounter#record}) take the same path. */
    @Test
    void eachStripeHasItsOwnUnitAndTimedOperationsUseIt() {
        SiteCounter k = key();
        int a = SiteCounter.stripe(1);
        int b = SiteCounter.stripe(2);
        SiteCounter.record(k, k.cells, a, 1_000, 128, false, 1);
        SiteCounter.record(k, k.cells, b, 2_000, 64, false, 1);
        SiteCounter.add(k.cells, a, 64, false, 1);
        SiteCounter.add(k.cells, b, 64, false, 1);
        assertThat(k.cells[a + SiteCounter.UNIT]).isEqualTo(128);
        assertThat(k.cells[b + SiteCounter.UNIT]).isEqualTo(64);
        assertThat(k.cells[a + SiteCounter.BYTES]).isEqualTo(64);
        assertThat(k.cells[b + SiteCounter.BYTES]).isEqualTo(0);
        assertThat(k.count()).isEqualTo(4);
        assertThat(k.bytes()).isEqualTo(128 + 64 + 64 + 64);
        assertThat(k.sumNanos()).isEqualTo(3_000);
        assertThat(k.pattern()).isEqualTo("sequential");
    }

    /**
     * Eight threads race for one stripe's unit and then add three sizes (one of which becomes the unit) and empty
     * operations: every count and byte arrives, whichever thread's size won.
     */
    @Test
    void racingThreadsLoseNothing() throws Exception {
        SiteCounter k = key();
        int base = SiteCounter.stripe(3);
        int threads = 8;
        int perThread = 200_000;
        long[] sizes = {4096, 128, 0, 4096, 777};
        race(threads, first -> {
            for (int i = 0; i < perThread; i++) {
                SiteCounter.add(k.cells, base, sizes[(first + i) % sizes.length], false, i & 1);
            }
        });
        long ops = (long) threads * perThread;
        long bytesPerRound = 4096 + 128 + 0 + 4096 + 777;
        assertThat(k.count()).isEqualTo(ops);
        assertThat(k.bytes()).isEqualTo(ops / sizes.length * bytesPerRound);
        assertThat(k.sequentialOps()).isEqualTo(ops / 2);
        assertThat(k.randomOps()).isEqualTo(0);
        assertThat(k.cells[base + SiteCounter.UNIT]).isIn(4096L, 128L, 777L);
    }

    /**
     * The first two histogram chunks a key's timed operations land in are kept in its cells (with the maximum), so an
     * operation touches no other object; later chunks are arrays of their own; the histogram read back is the same.
     */
    @Test
    void theFirstTwoChunksOfLatenciesLiveInTheCellsAndTheRestOutside() {
        SiteCounter k = key();
        int s = SiteCounter.stripe(3);
        // buckets 35 and 37 (chunk 4), 62 (chunk 7), 88 (chunk 11), 36 (chunk 4 again)
        long[] nanos = {1_000, 1_500, 100_000, 10_000_000, 1_200};
        int[] buckets = new int[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            buckets[i] = LatencyBuckets.index(nanos[i]);
        }
        assertThat(buckets).containsExactly(35, 37, 62, 88, 36);
        for (long n : nanos) {
            SiteCounter.record(k, k.cells, s, n, 128, false, 0);
        }
        assertThat(k.cells[SiteCounter.HOME]).isEqualTo(5 | 8 << 8); // chunk + 1 of each home
        long[] home = java.util.Arrays.copyOfRange(k.cells, SiteCounter.HISTOGRAM, SiteCounter.HISTOGRAM + 16);
        assertThat(home).containsExactly(0, 0, 0, 1, 1, 1, 0, 0, /* chunk 7: */ 0, 0, 0, 0, 0, 0, 1, 0);
        long[] expected = new long[LatencyBuckets.COUNT];
        expected[35] = 1;
        expected[36] = 1;
        expected[37] = 1;
        expected[62] = 1;
        expected[88] = 1;
        assertThat(k.histogram()).containsExactly(expected);
        assertThat(k.maxNanos()).isEqualTo(10_000_000);
        assertThat(k.sumNanos()).isEqualTo(10_103_700);
        assertThat(k.count()).isEqualTo(5);
        assertThat(k.bytes()).isEqualTo(5 * 128);
        assertThat(k.cells[SiteCounter.KEY]).isEqualTo(SiteCounter.key(k.keyHash, Ops.KIND_FILE, Ops.WRITE));
        assertThat(k.cells[SiteCounter.TARGET_HASH]).isEqualTo(SiteRegistry.targetHash("/d/f"));
        assertThat(k.cells[SiteCounter.SITE_HASH]).isEqualTo(SiteRegistry.targetHash("A.get(A.java:3)"));
    }

    /** Threads racing to place chunks each land theirs exactly once: two homes taken, every count kept. */
    @Test
    void racingThreadsPlaceHomeChunksOnceAndLoseNoCount() throws Exception {
        SiteCounter k = key();
        long[] latencies = {1_000, 100_000, 10_000_000, 1_000_000_000};
        int perThread = 20_000;
        race(latencies.length, t -> {
            for (int i = 0; i < perThread; i++) {
                SiteCounter.record(k, k.cells, SiteCounter.stripe(t), latencies[t], 1, false, 0);
            }
        });
        long[] h = k.histogram();
        for (long n : latencies) {
            assertThat(h[LatencyBuckets.index(n)]).as("bucket of %d ns", n).isEqualTo(perThread);
        }
        assertThat(java.util.Arrays.stream(h).sum()).isEqualTo(4L * perThread);
        long homes = k.cells[SiteCounter.HOME];
        assertThat(homes & 0xFF).isNotZero();
        assertThat(homes >>> 8 & 0xFF).isNotZero().isNotEqualTo(homes & 0xFF);
        assertThat(homes >>> 16).isZero();
        assertThat(k.maxNanos()).isEqualTo(1_000_000_000);
        assertThat(k.count()).isEqualTo(4L * perThread);
    }

    /** Runs {@code body} on {@code threads} threads (each given its index) started together, and waits for them. */
    private static void race(int threads, java.util.function.IntConsumer body) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                body.accept(index);
            });
            th.start();
            ts.add(th);
        }
        go.countDown();
        for (Thread th : ts) {
            th.join();
        }
    }
}
