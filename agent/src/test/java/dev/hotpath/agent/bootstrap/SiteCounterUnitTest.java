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
        k.record(a, 1_000, 128, false, 1);
        k.record(b, 2_000, 64, false, 1);
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
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perThread; i++) {
                    SiteCounter.add(k.cells, base, sizes[(first + i) % sizes.length], false, i & 1);
                }
            });
            th.start();
            ts.add(th);
        }
        go.countDown();
        for (Thread th : ts) {
            th.join();
        }
        long ops = (long) threads * perThread;
        long bytesPerRound = 4096 + 128 + 0 + 4096 + 777;
        assertThat(k.count()).isEqualTo(ops);
        assertThat(k.bytes()).isEqualTo(ops / sizes.length * bytesPerRound);
        assertThat(k.sequentialOps()).isEqualTo(ops / 2);
        assertThat(k.randomOps()).isEqualTo(0);
        assertThat(k.cells[base + SiteCounter.UNIT]).isIn(4096L, 128L, 777L);
    }
}
