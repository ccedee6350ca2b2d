package dev.hotpath.nativemem.asprof;

import java.util.Arrays;

/**
 * Open-addressing map from a non-zero {@code long} (an address) to an {@code int}, linear probing with
 * backward-shift deletion so that removals leave no tombstones (live-allocation tables see as many removals as
 * insertions). Not thread-safe.
 */
final class LongIntMap {
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        mask = cap - 1;
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** @return the value, or -1 if absent */
    int get(long key) {
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    void put(long key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            if (keys[i] == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    /** @return the removed value, or -1 if absent */
    int remove(long key) {
        int i = hash(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
        int removed = values[i];
        // backward-shift: move later entries of the probe run into the hole when their home allows it
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        size--;
        return removed;
    }

    int size() {
        return size;
    }

    /** Calls {@code action} with every value. */
    void forEachValue(java.util.function.IntConsumer action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept(values[i]);
            }
        }
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = values;
        keys = new long[ok.length * 2];
        values = new int[ok.length * 2];
        mask = keys.length - 1;
        size = 0;
        Arrays.fill(keys, 0);
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != 0) {
                put(ok[i], ov[i]);
            }
        }
    }
}
