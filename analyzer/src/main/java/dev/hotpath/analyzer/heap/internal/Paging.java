package dev.hotpath.analyzer.heap.internal;

/**
 * The page size of the engine's paged arrays ({@link IntPages}, {@link LongPages}, {@link CharPages},
 * {@link BytePages}): 2^{@code -Dhotpath.heap.pageBits} elements, default 2^30. A page is a plain Java array
 * addressed by shift and mask; a column of up to 2^30 elements is one page, which the accessors index directly (as
 * fast as the int arrays the columns were: paged random access measured up to 2x slower on the 37M-object benchmark
 * dump), and a column of more elements, past 2^31 too, is several. The last page is cut to the column's length, so a
 * column costs what an array of its length would. Tests set tiny pages (2^2 elements) so that every walk crosses
 * thousands of page boundaries.
 */
public final class Paging {
    public static final String PROPERTY = "hotpath.heap.pageBits";
    static final int DEFAULT_BITS = 30;

    private Paging() {
    }

    /** The page size's log2 from the system property (read when a column is made), 1 to 30. */
    public static int pageBits() {
        int bits = Integer.getInteger(PROPERTY, DEFAULT_BITS);
        if (bits < 1 || bits > 30) {
            throw new IllegalArgumentException(PROPERTY + " must be 1..30: " + bits);
        }
        return bits;
    }

    /** How many pages of 2^bits hold length elements; refuses more pages than a Java array holds. */
    static int pageCount(long length, int bits) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        long n = (length + (1L << bits) - 1) >>> bits;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(length + " elements need more than 2^31 pages of 2^" + bits);
        }
        return (int) n;
    }

    /** Length of page p: full, or what is left for the last one. */
    static int pageLength(long length, int bits, int p) {
        return (int) Math.min(1L << bits, length - ((long) p << bits));
    }
}
