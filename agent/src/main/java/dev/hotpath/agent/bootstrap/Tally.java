package dev.hotpath.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One thread's plain counts of one stream's fixed-size operations of one op (read or write), owed to a key's unit
 * cells ({@link SiteCounter#UNIT}): the recorder's untimed path then costs no atomic instruction at all. A locked add
 * is ~9 ns here, ~2% of a 460 ns positional read (AgentCpuCostHarness, session 16's instruction-level profile), and
 * it was the last one on that path.
 *
 * <p>Only the {@link #owner} (the thread that made the tally, on a stream in the {@link StreamTable}) writes the
 * counts, with plain stores; every other thread's operations on the stream take the atomic path. Any thread may
 * {@link #settle} a tally: it moves what the owner counted since the last settle into the cells, claiming it with a
 * compare-and-set on the settled mark, so two settlers never move the same operations twice. The counts reach the
 * cells when a reader asks ({@link Recorder#counters()} settles every tally in the table first), when the stream's
 * site changes on the owner's thread, and when the table deletes the stream's state. So a snapshot is exact for the
 * operations finished before it, as before; what changed is only where an operation waits to be added.
 *
 * <p>A deleted state's tally is {@link #retire retired}: its owner is cleared, so the owner's later operations take
 * the atomic path. An operation that passed the owner check just before that (one that finished on a stream whose
 * close on another thread completed, and whose state the table deleted, between two of its instructions) would be
 * counted after the last settle and lost; no other count can be.
 */
final class Tally {
    private static final VarHandle UNCLASSIFIED_SETTLED;
    private static final VarHandle SEQUENTIAL_SETTLED;
    private static final VarHandle RANDOM_SETTLED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UNCLASSIFIED_SETTLED = l.findVarHandle(Tally.class, "unclassifiedSettled", long.class);
            SEQUENTIAL_SETTLED = l.findVarHandle(Tally.class, "sequentialSettled", long.class);
            RANDOM_SETTLED = l.findVarHandle(Tally.class, "randomSettled", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The key's cells and stripe these counts belong to, and that stripe's unit (the bytes of each operation). */
    final long[] cells;
    final int base;
    final long unit;
    /** The only thread that counts here; {@code null} once retired. */
    Thread owner;
    /** The owner's counts by access pattern (see {@link SiteCounter#add}'s {@code pattern}); only ever grow. */
    long unclassified;
    long sequential;
    long random;
    /** How much of each count is in the cells; only ever grows, by compare-and-set. */
    @SuppressWarnings("unused") // through the VarHandles
    private volatile long unclassifiedSettled;
    @SuppressWarnings("unused")
    private volatile long sequentialSettled;
    @SuppressWarnings("unused")
    private volatile long randomSettled;

    Tally(long[] cells, int base, long unit, Thread owner) {
        this.cells = cells;
        this.base = base;
        this.unit = unit;
        this.owner = owner;
    }

    /** Counts one operation of {@link #unit} bytes; the owner's thread only. */
    void count(int pattern) {
        if (pattern == 1) {
            sequential++;
        } else if (pattern == 2) {
            random++;
        } else {
            unclassified++;
        }
    }

    /** Moves the counts not yet in the cells there; any thread. */
    void settle() {
        VarHandle.acquireFence(); // then plain reads of the owner's counts, some recent value of each
        settle(UNCLASSIFIED_SETTLED, unclassified, SiteCounter.UNCLASSIFIED_UNITS);
        settle(SEQUENTIAL_SETTLED, sequential, SiteCounter.SEQUENTIAL_UNITS);
        settle(RANDOM_SETTLED, random, SiteCounter.RANDOM_UNITS);
    }

    private void settle(VarHandle settled, long counted, int cell) {
        while (true) {
            long s = (long) settled.getVolatile(this);
            if (counted <= s) {
                return;
            }
            if (settled.compareAndSet(this, s, counted)) {
                SiteCounter.addUnits(cells, base + cell, counted - s);
                return;
            }
        }
    }

    /** Settles, and no thread counts here any more (its stream's state left the table). */
    void retire() {
        owner = null;
        VarHandle.fullFence(); // the clear before the reads of the counts
        settle();
    }
}
