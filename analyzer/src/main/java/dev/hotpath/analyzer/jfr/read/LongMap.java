package dev.hotpath.analyzer.jfr.read;

import java.util.Arrays;

/** Open-addressing map from long keys to an int and an object: a pool's entry offsets and resolved values. */
final class LongMap {
    private long[] keys = new long[16];
    private int[] ints = new int[16];
    private Object[] objects = new Object[16];
    private boolean[] used = new boolean[16];
    /** Per slot, for the pools: 0 unresolved, 1 being resolved, 2 resolved. */
    byte[] state = new byte[16];
    private int size;

    /** The slot of {@code key}, or -1. */
    int find(long key) {
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (used[i]) {
            if (keys[i] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Sets {@code key}'s int (adding it) and clears its object; returns the slot. */
    int put(long key, int value) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (used[i] && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (!used[i]) {
            used[i] = true;
            keys[i] = key;
            size++;
        }
        ints[i] = value;
        objects[i] = null;
        state[i] = 0;
        return i;
    }

    int intAt(int slot) {
        return ints[slot];
    }

    void intAt(int slot, int value) {
        ints[slot] = value;
    }

    Object objectAt(int slot) {
        return objects[slot];
    }

    void objectAt(int slot, Object value) {
        objects[slot] = value;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] k = keys;
        int[] v = ints;
        Object[] o = objects;
        boolean[] u = used;
        int n = k.length * 2;
        keys = new long[n];
        ints = new int[n];
        objects = new Object[n];
        used = new boolean[n];
        state = new byte[n];
        size = 0;
        for (int i = 0; i < k.length; i++) {
            if (u[i]) {
                int s = put(k[i], v[i]);
                objects[s] = o[i];
            }
        }
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        return "LongMap" + Arrays.toString(Arrays.copyOf(keys, Math.min(8, keys.length)));
    }
}
