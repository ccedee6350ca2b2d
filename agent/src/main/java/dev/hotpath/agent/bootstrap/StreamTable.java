package dev.hotpath.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Identity map from a stream/channel/socket object to its {@link StreamState}, without keeping the object alive.
 *
 * <p>Open addressing over one array of states, keyed by {@link System#identityHashCode}. A state is itself the weak
 * reference to its stream, so a lookup touches the slot and the state only (the operation's cost is mostly the cache
 * lines it touches: a system call leaves the caches cold). Lookups take no lock: a state is published with a release
 * store after it is built, so a reader that sees it sees its fields. Inserts are
 * synchronized; a slot whose referent was collected is reused by the next insert that probes it (the slot stays
 * occupied, so no probe chain is broken). The table doubles up to {@code maxCapacity}; when it is full of live objects
 * {@link #putIfAbsent} returns {@code null} and the caller records without a cached state. Memory is therefore bounded
 * by {@code maxCapacity} entries whatever the number of files ever opened. A collected stream's state is replaced by
 * a shared empty {@link #VACANT} state at the next insert (the GC queues it on {@link StreamState#COLLECTED}), so the
 * states kept are those of live streams plus those collected since the last insert, not up to {@code maxCapacity}.
 */
final class StreamTable {
    private static final VarHandle REFS = MethodHandles.arrayElementVarHandle(StreamState[].class);
    /** Takes a collected state's slot: occupied (probe chains stay intact), reusable, and refers to nothing. */
    private static final StreamState VACANT = new StreamState(Ops.KIND_FILE, "", true, 1);

    private final int maxCapacity;
    /** Power-of-two length; replaced whole by {@link #rehash} (no wrapper object: one cache line less per lookup). */
    private volatile StreamState[] table;
    private int used; // slots ever occupied (live or cleared), guarded by this

    StreamTable(int initialCapacity, int maxCapacity) {
        this.maxCapacity = maxCapacity;
        this.table = new StreamState[initialCapacity];
    }

    private static int slot(Object key, int mask) {
        return slotOfHash(System.identityHashCode(key), mask);
    }

    private static int slotOfHash(int identityHash, int mask) {
        return (identityHash * 0x9E3779B9) >>> 7 & mask;
    }

    StreamState get(Object key) {
        StreamState[] refs = table;
        int mask = refs.length - 1;
        for (int i = slot(key, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            StreamState r = (StreamState) REFS.getAcquire(refs, i);
            if (r == null || r.get() == key) {
                return r;
            }
        }
        return null;
    }

    /**
     * The existing state of {@code key}, or {@code state} (a weak reference to {@code key}) after inserting it;
     * {@code null} when the table is full.
     */
    synchronized StreamState putIfAbsent(Object key, StreamState state) {
        dropCollected();
        StreamState existing = get(key);
        if (existing != null) {
            return existing;
        }
        if ((used + 1) * 2 > table.length && !rehash()) {
            return insertIntoReusable(key, state);
        }
        StreamState[] t = table;
        int mask = t.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            StreamState r = t[i];
            if (r == null || r.get() == null) {
                if (r == null) {
                    used++;
                }
                REFS.setRelease(t, i, state);
                return state;
            }
        }
    }

    /** At the maximum size: only a slot whose object was collected can take the new one. */
    private StreamState insertIntoReusable(Object key, StreamState state) {
        StreamState[] t = table;
        int mask = t.length - 1;
        for (int i = slot(key, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            StreamState r = t[i];
            if (r == null) {
                break;
            }
            if (r.get() == null) {
                REFS.setRelease(t, i, state);
                return state;
            }
        }
        return null;
    }

    /** Drops collected entries, doubling the capacity if live ones still fill half; false when at the maximum. */
    private boolean rehash() {
        StreamState[] old = table;
        int live = 0;
        for (StreamState r : old) {
            if (r != null && r.get() != null) {
                live++;
            }
        }
        int capacity = old.length;
        while ((live + 1) * 2 > capacity && capacity < maxCapacity) {
            capacity <<= 1;
        }
        if ((live + 1) * 2 > capacity) {
            return false;
        }
        StreamState[] fresh = new StreamState[capacity];
        int mask = capacity - 1;
        int count = 0;
        for (StreamState r : old) {
            Object k = r == null ? null : r.get();
            if (k != null) {
                for (int i = slot(k, mask); ; i = (i + 1) & mask) {
                    if (fresh[i] == null) {
                        fresh[i] = r;
                        count++;
                        break;
                    }
                }
            }
        }
        used = count;
        table = fresh;
        return true;
    }

    /** Replaces the states of collected streams by {@link #VACANT}; a state not found was dropped by a rehash. */
    private void dropCollected() {
        StreamState[] t = table;
        int mask = t.length - 1;
        for (Object r; (r = StreamState.COLLECTED.poll()) != null; ) {
            StreamState gone = (StreamState) r;
            for (int i = slotOfHash(gone.hash, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
                StreamState at = t[i];
                if (at == null) {
                    break;
                }
                if (at == gone) {
                    REFS.setRelease(t, i, VACANT);
                    break;
                }
            }
        }
    }

    /** States held for streams, live or collected but not yet dropped (tests). */
    synchronized int states() {
        int n = 0;
        for (StreamState r : table) {
            if (r != null && r != VACANT) {
                n++;
            }
        }
        return n;
    }

    synchronized int capacity() {
        return table.length;
    }
}
