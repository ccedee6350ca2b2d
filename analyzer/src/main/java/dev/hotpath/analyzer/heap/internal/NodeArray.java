package dev.hotpath.analyzer.heap.internal;

/**
 * A long-indexed array of node numbers, DFS numbers or offsets into another array: {@link IntPages} while every value
 * it will hold fits an int (the common case, 4 bytes per element), {@link LongPages} beyond (dumps with more than
 * 2^31 objects or references). Callers pick with {@link #of} from the largest value the array will hold, so that
 * dumps below 2^31 keep the memory of int arrays. Both are paged ({@link Paging}).
 */
public abstract class NodeArray {
    /**
     * {@code -Dhotpath.heap.longArrays=true} takes the long path whatever the counts (for tests: a small dump walks the
     * code a dump of more than 2^31 objects takes).
     */
    public static final String LONG_PROPERTY = "hotpath.heap.longArrays";

    NodeArray() {
    }

    /** Whether arrays and index files of values up to {@code maxValue} hold ints (else longs). */
    public static boolean fitsInts(long maxValue) {
        return maxValue <= Integer.MAX_VALUE && !Boolean.getBoolean(LONG_PROPERTY);
    }

    /** The element width of an index file of values up to {@code maxValue}: 4 or 8 bytes, as {@link #of} picks. */
    public static int widthFor(long maxValue) {
        return fitsInts(maxValue) ? 4 : 8;
    }

    /** Eager pages of the default size, zeros; ints when {@code maxValue} fits an int. */
    public static NodeArray of(long length, long maxValue) {
        return of(length, maxValue, 0, false, Paging.pageBits());
    }

    /** @param fill the value of every element before its first write; {@code lazy}: pages are made on first write */
    public static NodeArray of(long length, long maxValue, long fill, boolean lazy, int pageBits) {
        return fitsInts(maxValue)
                ? new IntPages(length, pageBits, (int) fill, lazy)
                : new LongPages(length, pageBits, fill, lazy);
    }

    /** Element i (an int array's sign-extended). */
    public abstract long get(long i);

    public abstract void set(long i, long v);

    public abstract long length();

    /** Drops the pages wholly below index i (lazy arrays only). */
    public abstract void releaseBelow(long i);

    /** Pages that exist (for tests of lazily made pages). */
    public abstract int pagesAllocated();

    /** 4 for {@link IntPages}, 8 for {@link LongPages}: the element width of its index file. */
    public abstract int width();
}
