package dev.hotpath.analyzer.heap.internal;

/**
 * A long-indexed char array in pages of 2^bits elements ({@link Paging}): element i is
 * {@code pages[i >>> bits][i & mask]}, no boxing and no bounds check beyond the JVM's. Eager pages exist from the start
 * and may be written by several threads at distinct indexes (Java array elements are independent); lazy pages are
 * made on first write (reads of a missing page give the fill value), which lets a sparse array span far more than
 * the heap, e.g. indexes past 2^32 with only the touched pages allocated; making a page is synchronized.
 */
public final class CharPages {
    private final char[][] pages;
    private final long length;
    private final int shift;
    private final int mask;
    private final char fill;
    /** The only page, when there is one (eager): the accessors then index it directly, as fast as a plain array. */
    private final char[] flat;

    /** Eager pages of the default size, zeros. */
    public CharPages(long length) {
        this(length, Paging.pageBits(), (char) 0, false);
    }

    public CharPages(long length, int pageBits, char fill, boolean lazy) {
        this.length = length;
        this.shift = pageBits;
        this.mask = (1 << pageBits) - 1;
        this.fill = fill;
        this.pages = new char[Paging.pageCount(length, pageBits)][];
        if (!lazy) {
            for (int p = 0; p < pages.length; p++) {
                pages[p] = newPage(p);
            }
        }
        this.flat = !lazy && pages.length == 1 ? pages[0] : null;
    }

    private char[] newPage(int p) {
        char[] a = new char[Paging.pageLength(length, shift, p)];
        if (fill != 0) {
            java.util.Arrays.fill(a, fill);
        }
        return a;
    }

    private synchronized char[] page(int p) {
        char[] a = pages[p];
        if (a == null) {
            a = newPage(p);
            pages[p] = a;
        }
        return a;
    }

    public char get(long i) {
        char[] f = flat;
        if (f != null) {
            return f[(int) i];
        }
        char[] p = pages[(int) (i >>> shift)];
        return p == null ? fill : p[(int) i & mask];
    }

    public void set(long i, char v) {
        char[] f = flat;
        if (f != null) {
            f[(int) i] = v;
            return;
        }
        char[] p = pages[(int) (i >>> shift)];
        if (p == null) {
            p = page((int) (i >>> shift));
        }
        p[(int) i & mask] = v;
    }

    /**
     * Drops the pages wholly below index i, down to the first one missing (a consumed queue's head, which has no
     * gaps): their memory goes back, reads give the fill.
     * Only for lazy arrays (an eager one-page array indexes its page directly).
     */
    public void releaseBelow(long i) {
        if (flat != null) {
            throw new IllegalStateException("an eager one-page array keeps its page");
        }
        // downwards from the last page below i, until a page already dropped: each page is visited once overall
        for (int k = (int) Math.min(pages.length, i >>> shift) - 1; k >= 0 && pages[k] != null; k--) {
            pages[k] = null;
        }
    }

    public long length() {
        return length;
    }

    public int pageBits() {
        return shift;
    }

    /** Page k itself, or null when a lazy page was never written (for bulk copies). */
    char[] pageAt(int k) {
        return pages[k];
    }

    public int pageCount() {
        return pages.length;
    }

    public int pagesAllocated() {
        int n = 0;
        for (char[] p : pages) {
            if (p != null) {
                n++;
            }
        }
        return n;
    }
}
