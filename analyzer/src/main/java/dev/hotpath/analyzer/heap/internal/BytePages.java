package dev.hotpath.analyzer.heap.internal;

/**
 * A long-indexed byte array in pages of 2^bits elements ({@link Paging}): element i is
 * {@code pages[i >>> bits][i & mask]}, no boxing and no bounds check beyond the JVM's. Eager pages exist from the start
 * and may be written by several threads at distinct indexes (Java array elements are independent); lazy pages are
 * made on first write (reads of a missing page give the fill value), which lets a sparse array span far more than
 * the heap, e.g. indexes past 2^32 with only the touched pages allocated; making a page is synchronized.
 */
public final class BytePages {
    private final byte[][] pages;
    private final long length;
    private final int shift;
    private final int mask;
    private final byte fill;
    /** The only page, when there is one (eager): the accessors then index it directly, as fast as a plain array. */
    private final byte[] flat;

    /** Eager pages of the default size, zeros. */
    public BytePages(long length) {
        this(length, Paging.pageBits(), (byte) 0, false);
    }

    public BytePages(long length, int pageBits, byte fill, boolean lazy) {
        this.length = length;
        this.shift = pageBits;
        this.mask = (1 << pageBits) - 1;
        this.fill = fill;
        this.pages = new byte[Paging.pageCount(length, pageBits)][];
        if (!lazy) {
            for (int p = 0; p < pages.length; p++) {
                pages[p] = newPage(p);
            }
        }
        this.flat = !lazy && pages.length == 1 ? pages[0] : null;
    }

    private byte[] newPage(int p) {
        byte[] a = new byte[Paging.pageLength(length, shift, p)];
        if (fill != 0) {
            java.util.Arrays.fill(a, fill);
        }
        return a;
    }

    private synchronized byte[] page(int p) {
        byte[] a = pages[p];
        if (a == null) {
            a = newPage(p);
            pages[p] = a;
        }
        return a;
    }

    public byte get(long i) {
        byte[] f = flat;
        if (f != null) {
            return f[(int) i];
        }
        byte[] p = pages[(int) (i >>> shift)];
        return p == null ? fill : p[(int) i & mask];
    }

    public void set(long i, byte v) {
        byte[] f = flat;
        if (f != null) {
            f[(int) i] = v;
            return;
        }
        byte[] p = pages[(int) (i >>> shift)];
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
    byte[] pageAt(int k) {
        return pages[k];
    }

    public int pageCount() {
        return pages.length;
    }

    public int pagesAllocated() {
        int n = 0;
        for (byte[] p : pages) {
            if (p != null) {
                n++;
            }
        }
        return n;
    }
}
