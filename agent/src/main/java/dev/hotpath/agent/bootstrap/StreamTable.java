package dev.hotpath.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

/**
 * Identity map from a stream/channel/socket object to its {@link StreamState}, without keeping the object alive.
 *
 * <p>Open addressing over parallel arrays, keyed by {@link System#identityHashCode}. Lookups take no lock: a key is
 * published with a release store after its value, so a reader that sees the key sees the state. Inserts are
 * synchronized; a slot whose referent was collected is reused by the next insert that probes it (the slot stays
 * occupied, so no probe chain is broken). The table doubles up to {@code maxCapacity}; when it is full of live objects
 * {@link #putIfAbsent} returns {@code null} and the caller records without a cached state. Memory is therefore bounded
 * by {@code maxCapacity} entries whatever the number of files ever opened.
 */
final class StreamTable {
    private static final VarHandle REFS = MethodHandles.arrayElementVarHandle(WeakReference[].class);

    private static final class Arrays {
        final WeakReference<?>[] refs;
        final StreamState[] states;
        final int mask;

        Arrays(int capacity) {
            refs = new WeakReference<?>[capacity];
            states = new StreamState[capacity];
            mask = capacity - 1;
        }
    }

    private final int maxCapacity;
    private volatile Arrays table;
    private int used; // slots ever occupied (live or cleared), guarded by this

    StreamTable(int initialCapacity, int maxCapacity) {
        this.maxCapacity = maxCapacity;
        this.table = new Arrays(initialCapacity);
    }

    private static int slot(Object key, int mask) {
        return (System.identityHashCode(key) * 0x9E3779B9) >>> 7 & mask;
    }

    StreamState get(Object key) {
        Arrays t = table;
        WeakReference<?>[] refs = t.refs;
        int mask = t.mask;
        for (int i = slot(key, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            WeakReference<?> r = (WeakReference<?>) REFS.getAcquire(refs, i);
            if (r == null) {
                return null;
            }
            if (r.get() == key) {
                return t.states[i];
            }
        }
        return null;
    }

    /** The existing state of {@code key}, or {@code state} after inserting it; {@code null} when the table is full. */
    synchronized StreamState putIfAbsent(Object key, StreamState state) {
        StreamState existing = get(key);
        if (existing != null) {
            return existing;
        }
        if ((used + 1) * 2 > table.refs.length && !rehash()) {
            return insertIntoReusable(key, state);
        }
        Arrays t = table;
        int mask = t.mask;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            WeakReference<?> r = t.refs[i];
            if (r == null || r.get() == null) {
                if (r == null) {
                    used++;
                }
                t.states[i] = state;
                REFS.setRelease(t.refs, i, new WeakReference<>(key));
                return state;
            }
        }
    }

    /** At the maximum size: only a slot whose object was collected can take the new one. */
    private StreamState insertIntoReusable(Object key, StreamState state) {
        Arrays t = table;
        int mask = t.mask;
        for (int i = slot(key, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            WeakReference<?> r = t.refs[i];
            if (r == null) {
                break;
            }
            if (r.get() == null) {
                t.states[i] = state;
                REFS.setRelease(t.refs, i, new WeakReference<>(key));
                return state;
            }
        }
        return null;
    }

    /** Drops collected entries, doubling the capacity if live ones still fill half; false when at the maximum. */
    private boolean rehash() {
        Arrays old = table;
        int live = 0;
        for (WeakReference<?> r : old.refs) {
            if (r != null && r.get() != null) {
                live++;
            }
        }
        int capacity = old.refs.length;
        while ((live + 1) * 2 > capacity && capacity < maxCapacity) {
            capacity <<= 1;
        }
        if ((live + 1) * 2 > capacity) {
            return false;
        }
        Arrays fresh = new Arrays(capacity);
        int count = 0;
        for (int j = 0; j < old.refs.length; j++) {
            WeakReference<?> r = old.refs[j];
            Object k = r == null ? null : r.get();
            if (k != null) {
                for (int i = slot(k, fresh.mask); ; i = (i + 1) & fresh.mask) {
                    if (fresh.refs[i] == null) {
                        fresh.states[i] = old.states[j];
                        fresh.refs[i] = r;
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

    synchronized int capacity() {
        return table.refs.length;
    }
}
