package dev.hotpath.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;

/**
 * What the recorder remembers about one stream, channel or socket: its kind and target (resolved once), the counter it
 * last recorded each op into (the cached call site), the position bookkeeping for the access pattern, and when to
 * re-validate the cached site next. It is also the {@link StreamTable}'s weak reference to the stream, so that the
 * per-operation lookup touches one object.
 *
 * <p>Fields are plain: a stream used from several threads at once may race on them, which can misclassify the access
 * pattern of the racing operations or delay a site switch, but never loses a count — every value a field can hold is
 * a valid counter or position (the tallies are the exception to plainness: installed by compare-and-set, counted in
 * by one thread only; their one window, an operation racing its stream's close, is in {@link Tally}). Advice holds a
 * state between method entry and exit and passes it back to the {@link Recorder}; nothing outside this package reads
 * its fields. The fields an operation on a tabled stream reads are declared in {@link StreamStateHead}, for their
 * layout.
 */
public final class StreamState extends StreamStateHead {
    /**
     * Where the GC puts the states of collected streams, so that {@link StreamTable} can drop them at its next insert
     * instead of keeping each one (and its cached counters) until a probe happens to reuse its slot. Closed streams'
     * states take a cheaper way to the same end ({@link StreamTable#closedLater}).
     */
    static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

    final int kind;
    final String target;
    /**
     * The stream's key in {@link StreamTable} ({@link Descriptors#key}: its descriptor number, else its identity
     * hash): where the table's probe for this state starts, also after the stream is gone.
     */
    final int hash;
    /** Created on the first op other than read and write: most streams never need it (one allocation less). */
    private SiteCounter[] otherCounters;
    /** Where the next op at the current position starts (moved by ops, seek, skip and position(long)). */
    long nextPos;
    /** Where the previous positioned op ended. */
    long lastEnd;
    /**
     * The call-site tag of the operation that created this state, taken from the thread's slot at that operation's
     * entry (a site id, or {@link CallSiteTags#NO_TAG}: the operation was not tagged), so that its resolution at exit,
     * after the system call, does not look the slot up again; {@link #UNKNOWN_TAG} once used, and for states created
     * outside an operation (seek, skip, transfers): the resolution then asks the slot.
     */
    int firstTag = UNKNOWN_TAG;
    static final int UNKNOWN_TAG = -1;
    /** Doublings of the mean gap between walks: one per resolution after the first, whatever it found. */
    int gapShift;
    private int seed;
    /**
     * The next state on {@link StreamTable}'s stack of closed streams' states; {@code null} until the stream's close
     * claims the state (then at least {@link StreamTable#END}, never again {@code null}: a state is pushed once).
     * Compared-and-set through a VarHandle; its plain writes are published by the push's compare-and-set.
     */
    StreamState nextClosed;
    /**
     * The call-site tag whose {@link CallSiteTags#seen} entry this state was last made (-1: none), so that the close
     * of a stream that never reached the table can clear that entry: the tagged call's check there would otherwise
     * read this dead state's line at the site's next call, on a stream-per-request service every time.
     */
    int seenTag = -1;

    /** A state keyed by the stream's identity hash (tests of the table). */
    StreamState(Object stream, int kind, String target, boolean ignored) {
        this(stream, kind, target, ignored, System.identityHashCode(stream), System.identityHashCode(stream));
    }

    /**
     * A state kept in the table under {@code hash}, its sampling seeded by {@code seed} (from the creating thread's
     * generator, {@link CallSiteTags.Slot#nextSeed}): a key is often the same descriptor number for stream after stream
     * (the lowest free one), and streams must not share one sequence of gaps.
     */
    StreamState(Object stream, int kind, String target, boolean ignored, int hash, int seed) {
        super(stream, COLLECTED, ignored, SiteCounter.stripe(hash ^ hash >>> 8), kind == Ops.KIND_FILE);
        this.hash = hash;
        this.kind = kind;
        this.target = target;
        this.seed = seed == 0 ? 0x2545F491 : seed;
    }

    /** A state that refers to no stream (tests of the sampling). */
    StreamState(int kind, String target, boolean ignored, int seed) {
        this(null, kind, target, ignored, seed, seed);
    }

    /**
     * The counter of the key {@code op}'s operations count in ({@code null} until resolved). For reads and writes a
     * hint: the registry's lock-free lookup may pair a key's cells with another key's counter (see
     * {@link SiteRegistry#findInto}), so it is checked against {@link #cells} wherever it is used
     * ({@link Recorder#owner}); the other ops' counter is checked when cached.
     */
    SiteCounter counter(int op) {
        if (op == Ops.READ) {
            return readCounter;
        }
        if (op == Ops.WRITE) {
            return writeCounter;
        }
        SiteCounter[] others = otherCounters;
        return others == null ? null : others[op];
    }

    /** {@link #counter(int, SiteCounter, long[])} with the counter's own cells (tests). */
    void counter(int op, SiteCounter c) {
        counter(op, c, c.cells);
    }

    /** The cells {@code op}'s operations count in ({@code null} until resolved): what the hot path uses. */
    long[] cells(int op) {
        if (op == Ops.READ) {
            return readCells;
        }
        if (op == Ops.WRITE) {
            return writeCells;
        }
        SiteCounter[] others = otherCounters;
        SiteCounter c = others == null ? null : others[op];
        return c == null ? null : c.cells;
    }

    /**
     * Caches the key of {@code op}: its cells and its counter, whose object a read's or write's lookup does not read
     * (see {@link #counter(int)}); for the other ops {@code c.cells} must be {@code cells}.
     */
    void counter(int op, SiteCounter c, long[] cells) {
        if (op == Ops.READ) {
            readCells = cells;
            readCounter = c;
        } else if (op == Ops.WRITE) {
            writeCells = cells;
            writeCounter = c;
        } else {
            SiteCounter[] others = otherCounters;
            if (others == null) {
                others = new SiteCounter[Ops.COUNT];
                otherCounters = others;
            }
            others[op] = c;
        }
    }

    /**
     * Makes {@code t} the tally of {@code op} (read or write) if it has none; false when another thread's came first
     * (a thread that found none and was descheduled before setting its own must not replace one that has counted
     * meanwhile: those counts would be lost).
     */
    boolean installTally(int op, Tally t) {
        return (op == Ops.READ ? READ_TALLY : WRITE_TALLY).compareAndSet(this, (Tally) null, t);
    }

    private static final VarHandle READ_TALLY;
    private static final VarHandle WRITE_TALLY;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READ_TALLY = l.findVarHandle(StreamState.class, "readTally", Tally.class);
            WRITE_TALLY = l.findVarHandle(StreamState.class, "writeTally", Tally.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Moves the tallies' counts into their cells (any thread); {@code retire}: and their owner counts there no more
     * (the table deleted this state, see {@link Tally#retire}).
     */
    void settle(boolean retire) {
        settle(readTally, retire);
        settle(writeTally, retire);
    }

    private static void settle(Tally t, boolean retire) {
        if (t == null) {
            return;
        }
        if (retire) {
            t.retire();
        } else {
            t.settle();
        }
    }

    /**
     * After a resolution of {@code op}'s site on this thread, which gave the key whose cells are {@code key}: the op's
     * tally, when the current thread owns it and it counts into other cells, is settled and dropped (the next
     * fixed-size operations make a new one for the new key). Another thread's tally is left to its owner's next
     * resolution. The key is the resolution's answer, not this state's current one: another thread's resolution may
     * have switched the state to its own site meanwhile (during this one's stack walk), and the owner's tally, whose
     * operations are this thread's, at this thread's site, must not be dropped for it (another thread would then
     * install its own at once).
     */
    void checkTally(int op, long[] key, Thread me) {
        if (op > Ops.WRITE) {
            return; // only reads and writes have tallies
        }
        Tally t = op == Ops.READ ? readTally : writeTally;
        if (t != null && t.owner == me && t.cells != key) {
            t.settle(); // then dropped: only this thread counts there, and another thread may install its own
            (op == Ops.READ ? READ_TALLY : WRITE_TALLY).setRelease(this, (Tally) null);
        }
    }

    /**
     * The gap to the next re-validation: uniform in [1, 2*MEAN-1] from a per-stream xorshift, so that a stream used
     * alternately from two sites is not aliased onto one of them by a fixed period.
     */
    int nextGap(int mean) {
        int x = seed;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        seed = x;
        return 1 + (int) ((x & 0x7fffffffL) % (2L * mean - 1));
    }
}
