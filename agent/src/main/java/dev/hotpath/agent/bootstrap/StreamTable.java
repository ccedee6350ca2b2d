package dev.hotpath.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Map from a stream/channel/socket object (compared by identity) to its {@link StreamState}, without keeping the
 * object alive.
 *
 * <p>Linear probing over one array of states, keyed by the object's file descriptor number when it has one, else its
 * identity hash ({@link Descriptors#key}; the key is the state's {@link StreamState#hash}). A state is itself the weak
 * reference to its stream, so a lookup touches the slot and the state only (the operation's cost is mostly the cache
 * lines it touches: a system call leaves the caches cold). Lookups take no lock (see {@link #get}); inserts and
 * deletes are synchronized. A closed stream's state is deleted at the next insert after its close queued it
 * ({@link #closedLater}), a collected one's after the GC queued it on {@link StreamState#COLLECTED}, by shifting the
 * rest of its probe run back: the table holds no tombstones, it grows only when live and uncollected states fill
 * half of it, and it is never scanned except to grow. (Tombstones, and a rebuild that left the table just under half
 * full, made a service opening streams fast rescan the table every few inserts, in the interpreter since a rare scan
 * is never compiled: a fifth of the agent's cost on open-read-close.)
 * The table doubles up to {@code maxCapacity}; when it is full of live objects {@link #putIfAbsent} returns
 * {@code null} and the caller records without a cached state. Memory is therefore bounded by {@code maxCapacity}
 * entries whatever the number of files ever opened.
 *
 * <p>Every way a state leaves the table (deleted, taken over, left behind by a growth) first retires it
 * ({@link StreamState#settle settle(true)}): its {@link Tally tallies'} counts move to their keys' cells, and
 * {@link #settleAll} moves those of the states still here, so that a reader misses no finished operation.
 */
final class StreamTable {
    private static final VarHandle REFS = MethodHandles.arrayElementVarHandle(StreamState[].class);
    private static final VarHandle CLOSED_HEAD;
    private static final VarHandle NEXT_CLOSED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLOSED_HEAD = l.findVarHandle(StreamTable.class, "closedHead", StreamState.class);
            NEXT_CLOSED = l.findVarHandle(StreamState.class, "nextClosed", StreamState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The end of the stack of closed states (a state of no stream, never in the table). */
    static final StreamState END = new StreamState(Ops.KIND_FILE, "", true, 1);

    private final int maxCapacity;
    /** Power-of-two length; replaced whole by {@link #grow} (no wrapper object: one cache line less per lookup). */
    private volatile StreamState[] table;
    private int used; // occupied slots, guarded by this
    /** Inserts before the next attempt to grow, after one at the maximum that could not make room; guarded by this. */
    private int retryIn;
    /** States of closed streams not yet deleted (a lock-free stack through {@link StreamState#nextClosed}). */
    @SuppressWarnings("unused") // through CLOSED_HEAD
    private volatile StreamState closedHead;

    StreamTable(int initialCapacity, int maxCapacity) {
        this.maxCapacity = maxCapacity;
        this.table = new StreamState[initialCapacity];
    }

    /**
     * A key's home slot: twice the key. Descriptor numbers are small and dense (the lowest free one is taken), so the
     * states of a service's open descriptors sit in the numbers' order, two slots each (a stream and its
     * {@code getChannel()} share a number), and share a few cache lines, which its every operation touches and keeps
     * warm, instead of a line each: a scrambled home put each keep-alive socket's slot on a line of its own, a cold
     * miss at most of its operations (StreamTable.get was ~0.15% of a saturated gateway's CPU samples, all but a
     * sliver under socket operations, GatewaySaturationHarness {@code -Dprofile=true}, session 18). Identity hashes
     * (streams of unknown descriptor) are random in their low bits already, and land among the descriptors' slots,
     * half of them free, only as often as the descriptors fill the table.
     */
    private static int slotOfHash(int hash, int mask) {
        return hash << 1 & mask;
    }

    /**
     * A plain array read, not an acquire (a VarHandle call is not cheap in C1-compiled code, where a service's I/O
     * path at a hundred requests a second runs). A state's own fields are final or hold valid defaults. A reader that
     * races with an insert or a delete may miss a state that is there (a just-published one seen without its referent,
     * or one being shifted back past it), never find a wrong one (the referent is compared by identity): the miss
     * leads to {@link #putIfAbsent}, which finds the state under the lock. A race costs a lookup, never a second state.
     */
    StreamState get(Object key, int hash) {
        StreamState[] refs = table;
        int mask = refs.length - 1;
        for (int i = slotOfHash(hash, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            StreamState r = refs[i];
            if (r == null || r.get() == key) {
                return r;
            }
        }
        return null;
    }

    /** {@link #get(Object, int)} of an object keyed by its identity hash (tests). */
    StreamState get(Object key) {
        return get(key, System.identityHashCode(key));
    }

    /**
     * The existing state of {@code key}, or {@code state} (a weak reference to {@code key}, keyed by its
     * {@link StreamState#hash}) after inserting it; {@code null} when the table is full.
     */
    synchronized StreamState putIfAbsent(Object key, StreamState state) {
        dropQueued();
        StreamState existing = get(key, state.hash);
        if (existing != null) {
            return existing;
        }
        if ((used + 1) * 2 > table.length && (--retryIn > 0 || !grow())) {
            return insertIntoReusable(state);
        }
        StreamState[] t = table;
        int mask = t.length - 1;
        for (int i = slotOfHash(state.hash, mask); ; i = (i + 1) & mask) {
            StreamState r = t[i];
            if (r == null || r.get() == null) { // a collected state not yet queued: its slot is taken over
                if (r == null) {
                    used++;
                } else {
                    r.settle(true); // its tallies' counts, before it leaves the table
                }
                state.tabled = true;
                REFS.setRelease(t, i, state);
                return state;
            }
        }
    }

    /**
     * The stream of {@code state} was closed: its state goes on the stack of closed states, which the next insert
     * deletes under the lock it already holds (until then a lookup still finds it: an operation after the close, which
     * fails, is counted on it). Lock-free, two compare-and-sets: the close path took {@link
     * java.lang.ref.Reference#enqueue} before, whose queue lock and {@code notifyAll} (a call into the VM) were a
     * fifth of the agent's cost per stream on a stream-per-request gateway ({@code Recorder.closed} 0.31% of its CPU
     * samples, GatewaySaturationHarness {@code -Dmode=together -Dprofile=true}); the referent is not cleared either,
     * another call into the VM per close ({@code Reference.clear0}, 0.06%, session 11), and the state leaves the table
     * long before the GC would find it with a dead referent. A state closed twice (two threads closing one stream) is
     * pushed once.
     */
    void closedLater(StreamState state) {
        if (!NEXT_CLOSED.compareAndSet(state, null, END)) {
            return;
        }
        StreamState head;
        do {
            head = (StreamState) CLOSED_HEAD.getVolatile(this);
            state.nextClosed = head == null ? END : head;
        } while (!CLOSED_HEAD.compareAndSet(this, head, state));
    }

    /**
     * Deletes {@code key}'s state now (tests of the deletion; the recorder queues closed and collected states, and the
     * next insert deletes them).
     */
    synchronized void closed(Object key) {
        StreamState[] t = table;
        int mask = t.length - 1;
        for (int i = slotOfHash(System.identityHashCode(key), mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            StreamState r = t[i];
            if (r == null) {
                return;
            }
            if (r.get() == key) {
                r.settle(true);
                delete(t, i);
                return;
            }
        }
    }

    /** At the maximum size: only a slot whose object was collected can take the new one. */
    private StreamState insertIntoReusable(StreamState state) {
        StreamState[] t = table;
        int mask = t.length - 1;
        for (int i = slotOfHash(state.hash, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            StreamState r = t[i];
            if (r == null) {
                break;
            }
            if (r.get() == null) {
                r.settle(true);
                state.tabled = true;
                REFS.setRelease(t, i, state);
                return state;
            }
        }
        return null;
    }

    /**
     * Drops collected entries, doubling the capacity until live ones fill at most a quarter (headroom, so that the
     * next growth is far off); false, and no attempt for the next eighth of the table's inserts, when at the maximum
     * the live ones fill more than three eighths.
     */
    private boolean grow() {
        StreamState[] old = table;
        int live = 0;
        for (StreamState r : old) {
            if (r != null && r.get() != null) {
                live++;
            }
        }
        int capacity = old.length;
        while ((live + 1) * 4L > capacity && capacity < maxCapacity) {
            capacity <<= 1;
        }
        if ((live + 1) * 8L > capacity * 3L) {
            retryIn = Math.max(1, capacity >> 3);
            return false;
        }
        StreamState[] fresh = new StreamState[capacity];
        int mask = capacity - 1;
        int count = 0;
        for (StreamState r : old) {
            if (r == null) {
                continue;
            }
            if (r.get() == null) {
                r.settle(true); // left behind: its tallies' counts first
                continue;
            }
            for (int i = slotOfHash(r.hash, mask); ; i = (i + 1) & mask) {
                if (fresh[i] == null) {
                    fresh[i] = r;
                    count++;
                    break;
                }
            }
        }
        used = count;
        table = fresh;
        return true;
    }

    /**
     * Deletes the states of closed and of collected streams; a state not found was dropped by {@link #grow} or taken
     * over.
     */
    private void dropQueued() {
        if (CLOSED_HEAD.getVolatile(this) != null) {
            for (StreamState s = (StreamState) CLOSED_HEAD.getAndSet(this, null); s != null && s != END;
                 s = s.nextClosed) {
                drop(s);
            }
        }
        for (Object r; (r = StreamState.COLLECTED.poll()) != null; ) {
            drop((StreamState) r);
        }
    }

    private void drop(StreamState gone) {
        gone.settle(true); // its tallies' counts first (a state taken over or left behind by a growth already was)
        StreamState[] t = table;
        int mask = t.length - 1;
        for (int i = slotOfHash(gone.hash, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            StreamState at = t[i];
            if (at == null) {
                return;
            }
            if (at == gone) {
                delete(t, i);
                return;
            }
        }
    }

    /**
     * Empties slot {@code i} and moves back each later entry of the probe run whose home slot does not lie
     * cyclically in (i, j], so that every entry stays reachable from its home without a gap (linear probing's
     * deletion without tombstones). The moved entry is written to its new slot before its old one is cleared.
     */
    private void delete(StreamState[] t, int i) {
        int mask = t.length - 1;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            StreamState e = t[j];
            if (e == null) {
                break;
            }
            int home = slotOfHash(e.hash, mask);
            boolean staysPut = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!staysPut) {
                REFS.setRelease(t, i, e);
                i = j;
            }
        }
        REFS.setRelease(t, i, null);
        used--;
    }

    /**
     * Moves every tally's counts into its cells ({@link Tally}): those of the states in the table, after deleting
     * the queued ones (which settles theirs). Under the lock, so no state is moved past the scan by a deletion.
     */
    synchronized void settleAll() {
        dropQueued();
        for (StreamState r : table) {
            if (r != null) {
                r.settle(false);
            }
        }
    }

    /** States held for streams, live or collected but not yet dropped (tests). */
    synchronized int states() {
        int n = 0;
        for (StreamState r : table) {
            if (r != null) {
                n++;
            }
        }
        return n;
    }

    synchronized int capacity() {
        return table.length;
    }
}
