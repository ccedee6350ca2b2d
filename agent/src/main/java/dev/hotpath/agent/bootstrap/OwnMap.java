package dev.hotpath.agent.bootstrap;

/**
 * A hash map of the recorder's own key objects that calls nothing in {@code java.util}: linear probing over two
 * arrays, grown at half full, no removal (the recorder's key maps only grow, and are bounded by their callers). Not
 * thread-safe: callers hold their own lock.
 *
 * <p>Why not {@code HashMap}: the JIT compiles the host's {@code HashMap} calls ({@code hash}'s {@code hashCode},
 * {@code getNode}'s {@code equals}) from the key classes it profiled there, for every caller alike, and the recorder
 * runs on the host's threads. A key class of the agent's own, looked up on every stack walk, is one more class at
 * those calls: where the host's keys are of two classes (a gateway's header strings and the open options of its
 * {@code FileChannel.open}), a third turns their inlined calls into vtable calls (agent/README, "The agent's own
 * work does not reshape the host's compiled code").
 */
final class OwnMap<K extends OwnMap.Key, V> {
    /** A key's hash and equality, called by this map only. */
    interface Key {
        int keyHash();

        boolean sameKey(Key other);
    }

    private Key[] keys = new Key[16];
    private Object[] values = new Object[16];
    private int size;

    private static int slot(int hash, int mask) {
        return (hash * 0x9E3779B9) >>> 7 & mask;
    }

    @SuppressWarnings("unchecked")
    V get(K key) {
        Key[] ks = keys;
        int mask = ks.length - 1;
        for (int i = slot(key.keyHash(), mask); ; i = (i + 1) & mask) {
            Key k = ks[i];
            if (k == null) {
                return null;
            }
            if (k == key || key.sameKey(k)) {
                return (V) values[i];
            }
        }
    }

    boolean contains(K key) {
        return get(key) != null;
    }

    /** Maps {@code key} to {@code value} (not {@code null}); returns the previous value, or {@code null}. */
    V put(K key, V value) {
        return put(key, value, true);
    }

    /** As a set: adds {@code key} (its own value) unless an equal key is there; true when it was not. */
    @SuppressWarnings("unchecked")
    boolean add(K key) {
        return put(key, (V) key, false) == null;
    }

    @SuppressWarnings("unchecked")
    private V put(K key, V value, boolean replace) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        Key[] ks = keys;
        int mask = ks.length - 1;
        for (int i = slot(key.keyHash(), mask); ; i = (i + 1) & mask) {
            Key k = ks[i];
            if (k == null) {
                ks[i] = key;
                values[i] = value;
                size++;
                return null;
            }
            if (k == key || key.sameKey(k)) {
                V old = (V) values[i];
                if (replace) {
                    values[i] = value;
                }
                return old;
            }
        }
    }

    int size() {
        return size;
    }

    /** The slots' count, for {@link #valueAt}. */
    int capacity() {
        return values.length;
    }

    /** The value in slot {@code i}, or {@code null} for an empty slot. */
    @SuppressWarnings("unchecked")
    V valueAt(int i) {
        return (V) values[i];
    }

    private void grow() {
        Key[] oldKeys = keys;
        Object[] oldValues = values;
        Key[] ks = new Key[oldKeys.length * 2];
        Object[] vs = new Object[ks.length];
        int mask = ks.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            Key k = oldKeys[j];
            if (k != null) {
                int i = slot(k.keyHash(), mask);
                while (ks[i] != null) {
                    i = (i + 1) & mask;
                }
                ks[i] = k;
                vs[i] = oldValues[j];
            }
        }
        keys = ks;
        values = vs;
    }
}
