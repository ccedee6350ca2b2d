package dev.hotpath.analyzer.jfr.internal;

import java.util.Arrays;

/** A growable {@code long[]}: the per-event accumulators append here without boxing. Not thread-safe. */
public final class LongList {
    private long[] values;
    private int size;

    public LongList() {
        this(16);
    }

    public LongList(int capacity) {
        values = new long[Math.max(4, capacity)];
    }

    public void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public long get(int i) {
        return values[i];
    }

    public int size() {
        return size;
    }

    public long sum() {
        long s = 0;
        for (int i = 0; i < size; i++) {
            s += values[i];
        }
        return s;
    }

    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    public void addAll(LongList other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }
}
