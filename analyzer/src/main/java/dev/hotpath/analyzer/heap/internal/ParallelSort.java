package dev.hotpath.analyzer.heap.internal;

/**
 * Sorts a range of {@code long} keys ascending and applies the same permutation to parallel arrays, in place
 * (no index permutation array: the object table is the big allocation and must not be doubled). Quicksort with
 * median-of-three, recursing into the smaller side only, insertion sort below 24 elements.
 */
public final class ParallelSort {
    private ParallelSort() {
    }

    public static boolean isSorted(long[] keys, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (keys[i - 1] > keys[i]) {
                return false;
            }
        }
        return true;
    }

    /** Sorts {@code [from, to)} of keys; longs2, ints1, ints2, ints3 follow. */
    public static void sort(long[] keys, long[] longs2, int[] ints1, int[] ints2, int[] ints3, int from, int to) {
        int lo = from;
        int hi = to - 1;
        while (hi - lo >= 24) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < keys[lo]) swap(keys, longs2, ints1, ints2, ints3, mid, lo);
            if (keys[hi] < keys[lo]) swap(keys, longs2, ints1, ints2, ints3, hi, lo);
            if (keys[hi] < keys[mid]) swap(keys, longs2, ints1, ints2, ints3, hi, mid);
            long pivot = keys[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (keys[i] < pivot) i++;
                while (keys[j] > pivot) j--;
                if (i <= j) {
                    swap(keys, longs2, ints1, ints2, ints3, i, j);
                    i++;
                    j--;
                }
            }
            if (j - lo < hi - i) {
                sort(keys, longs2, ints1, ints2, ints3, lo, j + 1);
                lo = i;
            } else {
                sort(keys, longs2, ints1, ints2, ints3, i, hi + 1);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            for (int j = i; j > lo && keys[j - 1] > keys[j]; j--) {
                swap(keys, longs2, ints1, ints2, ints3, j, j - 1);
            }
        }
    }

    private static void swap(long[] k, long[] l2, int[] a, int[] b, int[] c, int i, int j) {
        long t = k[i]; k[i] = k[j]; k[j] = t;
        t = l2[i]; l2[i] = l2[j]; l2[j] = t;
        int u = a[i]; a[i] = a[j]; a[j] = u;
        u = b[i]; b[i] = b[j]; b[j] = u;
        u = c[i]; c[i] = c[j]; c[j] = u;
    }

    /** Sorts {@code [from, to)} of paged keys; a and b (may be null) follow (long-indexed: more than 2^31 elements). */
    public static void sort(LongPages keys, LongPages a, LongPages b, long from, long to) {
        long lo = from;
        long hi = to - 1;
        while (hi - lo >= 24) {
            long mid = (lo + hi) >>> 1;
            if (keys.get(mid) < keys.get(lo)) swap(keys, a, b, mid, lo);
            if (keys.get(hi) < keys.get(lo)) swap(keys, a, b, hi, lo);
            if (keys.get(hi) < keys.get(mid)) swap(keys, a, b, hi, mid);
            long pivot = keys.get(mid);
            long i = lo;
            long j = hi;
            while (i <= j) {
                while (keys.get(i) < pivot) i++;
                while (keys.get(j) > pivot) j--;
                if (i <= j) {
                    swap(keys, a, b, i, j);
                    i++;
                    j--;
                }
            }
            if (j - lo < hi - i) {
                sort(keys, a, b, lo, j + 1);
                lo = i;
            } else {
                sort(keys, a, b, i, hi + 1);
                hi = j;
            }
        }
        for (long i = lo + 1; i <= hi; i++) {
            for (long j = i; j > lo && keys.get(j - 1) > keys.get(j); j--) {
                swap(keys, a, b, j, j - 1);
            }
        }
    }

    private static void swap(LongPages k, LongPages a, LongPages b, long i, long j) {
        long t = k.get(i); k.set(i, k.get(j)); k.set(j, t);
        t = a.get(i); a.set(i, a.get(j)); a.set(j, t);
        if (b != null) {
            t = b.get(i); b.set(i, b.get(j)); b.set(j, t);
        }
    }
}
