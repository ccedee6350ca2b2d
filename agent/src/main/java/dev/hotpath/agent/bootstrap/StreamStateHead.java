package dev.hotpath.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * The fields of a {@link StreamState} that an operation on a stream already in the {@link StreamTable} reads: the
 * cached counters, cells and tallies, the sampling countdown and timing ticks, declared in a class of their own so
 * that they lie together, right after the referent, which the table's lookup compares. HotSpot lays out a class's
 * fields after its superclass's, grouped by size (ints, then booleans, then references), so in one class these
 * spread over the whole 128-byte state, two or three cache lines, with the position bookkeeping and the resolution's
 * fields between them; here they span 64 bytes from the referent. A keep-alive socket's state is cold at each of its
 * operations (a request's own work evicts it), and its lines are most of what a socket operation costs the agent.
 */
abstract class StreamStateHead extends WeakReference<Object> {
    /** Created by one of the agent's own threads (exporters): its I/O is not traced. */
    final boolean ignored;
    /** The cached sites of reads and writes (fields: the common ops touch no array); other ops' are in StreamState. */
    SiteCounter readCounter;
    SiteCounter writeCounter;
    /** The cells of {@link #readCounter} and {@link #writeCounter}: an untimed op touches this state and the cells. */
    long[] readCells;
    long[] writeCells;
    /**
     * The plain counts of this stream's fixed-size reads and writes by the thread that made them ({@link Tally}),
     * once the state is in the table and has served {@link Recorder#TALLY_AFTER} operations; else {@code null}.
     * Set only by {@link StreamState#installTally}, cleared only by the owner ({@link StreamState#checkTally}).
     */
    Tally readTally;
    Tally writeTally;
    /**
     * Set when the {@link StreamTable} takes this state (before it is published there): its tallies are then settled
     * by every reader and when the table deletes it. A state outside the table (a thread's pending one, or one a full
     * table turned away) never gets a tally.
     */
    boolean tabled;
    /**
     * Whether this stream's fixed-size operations may get a tally: a file's, not a socket's. A socket operation is a
     * system call of microseconds, where the locked add a tally saves is ~9 ns, and its sizes follow the traffic: a
     * keep-alive connection's tally, made by the first operation that happened to move its stripe's unit, was then
     * read (a cold line of its own) by every later operation only to find another size.
     */
    final boolean tallies;
    /** This stream's stripe of every counter's cells (from its key: no thread object read per op). */
    final int stripe;
    /**
     * The site of the tagged call now on its way into an operation on this stream, when that call skipped the
     * thread's slot because the site already gave this stream's site ({@link CallSiteTags#set}), else
     * {@link CallSiteTags#NO_TAG}. Taken and cleared by the operation's recording, so an untagged operation after it
     * (a wrapper's, an unrewritten caller's) finds none and walks. Without it every sampled re-validation of a loop's
     * tagged calls walked the stack (tens of microseconds each: a sixth of the agent's CPU samples in a 128-byte
     * write loop, AgentCpuCostHarness's profile in session 13). Two threads' tagged calls on one stream may race
     * here; the loser's resolution then takes the other's site, a site calling this stream at that moment, as a
     * resolution on the other thread would have.
     */
    int calledFrom = CallSiteTags.NO_TAG;
    /** Ops left before the next sampled stack walk. */
    int countdown;
    /** Operations started on this stream (wraps; only its low bits and sign matter), for the timing sample. */
    int ticks;
    /** Bit per op: the last timed op of that kind took at least {@link Recorder#SLOW_NANOS}, so time every one. */
    int slowOps;

    StreamStateHead(Object stream, ReferenceQueue<Object> queue, boolean ignored, int stripe, boolean tallies) {
        super(stream, queue);
        this.ignored = ignored;
        this.stripe = stripe;
        this.tallies = tallies;
    }
}
