package dev.hotpath.agent.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream's fixed-size reads on its owner's thread wait in a {@link Tally} (plain adds) until a reader asks, the
 * site changes or the table deletes the state; every reader of {@link Recorder#counters()} sees each finished
 * operation exactly once, whichever thread made it.
 */
class TallyTest {
    private static final long PAGE = 4096;

    @BeforeEach
    void on() {
        Recorder.configure(4096, 256, 32, null, new String[0], new String[0]);
        Recorder.enable();
    }

    @AfterEach
    void off() {
        Recorder.disable();
    }

    /** One read of {@code stream} as the advice makes it: entry, clock, exit. */
    private static StreamState read(Object stream, String path, int fd, long bytes) {
        StreamState st = Recorder.fileState(stream, path, fd);
        long start = Recorder.clock(st, Ops.READ);
        Recorder.end(st, Ops.READ, start, bytes, Ops.CURRENT, null);
        return st;
    }

    /** {@code n} page reads of {@code stream}; its state. */
    private static StreamState reads(Object stream, String path, int fd, int n) {
        StreamState st = null;
        for (int i = 0; i < n; i++) {
            st = read(stream, path, fd, PAGE);
        }
        return st;
    }

    /** Reads of {@code target} over all its keys (threads of other sites may have moved the stream's site). */
    private static long readsOf(String target, boolean bytes) {
        long n = 0;
        for (SiteCounter c : Recorder.counters()) {
            if (c.target.equals(target) && c.op == Ops.READ) {
                n += bytes ? c.bytes() : c.count();
            }
        }
        return n;
    }

    private static SiteCounter key(String target) {
        for (SiteCounter c : Recorder.counters()) {
            if (c.target.equals(target) && c.op == Ops.READ) {
                return c;
            }
        }
        throw new AssertionError("no read key of " + target);
    }

    @Test
    void theOwnersFixedSizeReadsWaitInItsTallyUntilAReaderAsks() {
        Object s = new Object();
        StreamState st = reads(s, "/tally/owner", 3001, 1000);
        assertThat(st.tabled).isTrue(); // moved from the thread's slot at its 5th operation
        Tally t = st.readTally;
        assertThat(t.owner).isSameAs(Thread.currentThread());
        assertThat(t.unit).isEqualTo(PAGE);
        // timed (the first 16, then ticks 32, 64, ..., 992: 31) go to the cells; the tally is made by the 17th
        assertThat(t.sequential).isEqualTo(1000 - 16 - 31);
        assertThat(t.random + t.unclassified).isZero();
        SiteCounter c = st.readCounter;
        assertThat(c.count()).isEqualTo(16 + 31);

        assertThat(key("/tally/owner")).isSameAs(c); // the reader settles first
        assertThat(c.count()).isEqualTo(1000);
        assertThat(c.bytes()).isEqualTo(1000 * PAGE);
        assertThat(c.sequentialOps()).isEqualTo(1000);
        assertThat(c.randomOps()).isZero();
        Recorder.counters(); // nothing new: settling again moves nothing
        assertThat(c.count()).isEqualTo(1000);

        read(s, "/tally/owner", 3001, 100); // another size takes the cells' two adds
        read(s, "/tally/owner", 3001, 0); // the end of the file: no bytes, no unit
        assertThat(c.count()).isEqualTo(1002);
        assertThat(c.bytes()).isEqualTo(1000 * PAGE + 100);
        assertThat(t.sequential).isEqualTo(1000 - 16 - 31);
    }

    @Test
    void otherThreadsReadsOfTheStreamAreAddedAtOnceAndTotalsAreExactUnderConcurrentReaders() throws Exception {
        Object s = new Object();
        StreamState st = reads(s, "/tally/shared", 3002, 100);
        assertThat(st.readTally.owner).isSameAs(Thread.currentThread());
        assertThat(readsOf("/tally/shared", false)).isEqualTo(100);

        int threads = 4;
        int each = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> others = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int n = 0; n < each; n++) {
                    read(s, "/tally/shared", 3002, PAGE);
                }
            });
            others.add(th);
            th.start();
        }
        // a reader settling all the while: what it sees never goes back, never passes the total
        AtomicReference<String> wrong = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        Thread reader = new Thread(() -> {
            long last = 0;
            while (!Thread.currentThread().isInterrupted()) {
                long n = readsOf("/tally/shared", false);
                if (n < last || n > 100 + (threads + 1L) * each) {
                    wrong.set("read " + n + " after " + last);
                }
                last = n;
                reads.incrementAndGet();
            }
        });
        reader.start();
        go.countDown();
        for (int n = 0; n < each; n++) {
            read(s, "/tally/shared", 3002, PAGE);
        }
        for (Thread th : others) {
            th.join();
        }
        reader.interrupt();
        reader.join();

        long total = 100 + (threads + 1L) * each;
        assertThat(wrong.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(readsOf("/tally/shared", false)).isEqualTo(total);
        assertThat(readsOf("/tally/shared", true)).isEqualTo(total * PAGE);
        assertThat(st.readTally.owner).isSameAs(Thread.currentThread()); // the others never made one of their own
    }

    /**
     * A thread that found no tally and was descheduled before installing its own must not replace one that another
     * thread installed and counted in meanwhile (64 threads on one stream lost hundreds of writes that way).
     */
    @Test
    void aLateTallyNeverReplacesOneThatIsCounting() throws Exception {
        Object s = new Object();
        StreamState st = reads(s, "/tally/late", 3007, 100);
        Tally first = st.readTally;
        StreamState state = st;
        boolean[] installed = new boolean[1];
        Thread late = new Thread(() -> installed[0] = state.installTally(Ops.READ,
                new Tally(state.readCells, state.stripe, PAGE, Thread.currentThread())));
        late.start();
        late.join();
        assertThat(installed[0]).isFalse();
        assertThat(st.readTally).isSameAs(first);
        assertThat(readsOf("/tally/late", false)).isEqualTo(100);
    }

    @Test
    void deletingAClosedStreamsStateSettlesAndRetiresItsTally() {
        Object s = new Object();
        StreamState st = reads(s, "/tally/closed", 3003, 500);
        Tally t = st.readTally;
        SiteCounter c = st.readCounter;
        assertThat(c.count()).isLessThan(500);
        Recorder.closed(s, 3003);
        // the next insert deletes the closed state: a new stream goes pending, then a second one moves it to the table
        Object next1 = new Object();
        Object next2 = new Object();
        read(next1, "/tally/next1", 3004, PAGE);
        read(next2, "/tally/next2", 3005, PAGE); // next1 outlived the start of next2: it enters the table
        java.lang.ref.Reference.reachabilityFence(next1);
        assertThat(t.owner).isNull();
        assertThat(c.count()).isEqualTo(500); // no reader asked: the deletion moved them
        assertThat(c.bytes()).isEqualTo(500 * PAGE);

        // an operation still finishing on the old state counts at once, in the cells
        Recorder.end(st, Ops.READ, Recorder.UNTIMED, PAGE, Ops.CURRENT, null);
        assertThat(c.count()).isEqualTo(501);
        assertThat(t.sequential).isEqualTo(500 - 16 - 15);
    }

    @Test
    void aCollectedStreamsCountsAreAllThere() throws Exception {
        java.lang.ref.WeakReference<Object> gone = readAndForget("/tally/collected", 3008, 300);
        for (int i = 0; i < 50 && gone.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(gone.get()).isNull();
        assertThat(readsOf("/tally/collected", false)).isEqualTo(300);
        assertThat(readsOf("/tally/collected", true)).isEqualTo(300 * PAGE);
    }

    /** {@code n} reads of a stream nothing refers to afterwards. */
    private static java.lang.ref.WeakReference<Object> readAndForget(String path, int fd, int n) {
        Object s = new Object();
        StreamState st = reads(s, path, fd, n);
        assertThat(st.readTally.sequential).isEqualTo(n - 16 - (n - 1) / 32);
        return new java.lang.ref.WeakReference<>(s);
    }

    @Test
    void aNewSiteOnTheOwnersThreadSettlesTheOldKeysTallyAndTheNextReadsMakeANewOne() {
        Object s = new Object();
        StreamState st = reads(s, "/tally/switch", 3006, 200);
        Tally t = st.readTally;
        SiteCounter old = st.readCounter;
        st.countdown = 1_000_000; // no sampled resolution in what follows
        SiteCounter other = new SiteCounter("B.m(B.java:9)", "B", "m", 9, Ops.KIND_FILE, Ops.READ, "/tally/switch");
        st.checkTally(Ops.READ, old.cells, Thread.currentThread()); // same key: kept
        assertThat(st.readTally).isSameAs(t);
        st.counter(Ops.READ, other); // what a resolution finding another site does
        Thread elsewhere = new Thread(() -> { });
        st.checkTally(Ops.READ, other.cells, elsewhere); // not the owner's thread: left to the owner
        assertThat(st.readTally).isSameAs(t);
        // the owner's resolution found its own site again, while another thread had switched the state to another:
        // its tally counts its own operations at its own key, and stays (dropped, it would let the other install one)
        st.checkTally(Ops.READ, old.cells, Thread.currentThread());
        assertThat(st.readTally).isSameAs(t);
        st.checkTally(Ops.READ, other.cells, Thread.currentThread()); // the owner's resolution gave the other key
        assertThat(st.readTally).isNull();
        assertThat(old.count()).isEqualTo(200);
        assertThat(old.bytes()).isEqualTo(200 * PAGE);

        Recorder.end(st, Ops.READ, Recorder.UNTIMED, PAGE, Ops.CURRENT, null); // sets other's unit
        Recorder.end(st, Ops.READ, Recorder.UNTIMED, PAGE, Ops.CURRENT, null); // a new tally, for other's cells
        assertThat(st.readTally).isNotNull().isNotSameAs(t);
        assertThat(st.readTally.cells).isSameAs(other.cells);
        st.settle(false);
        assertThat(other.count()).isEqualTo(2);
        assertThat(old.count()).isEqualTo(200);
    }
}
