package dev.hotpath.analyzer.heap.internal;

/**
 * A set of node numbers as a bitmap with rank and select: a phase that keeps one value per member of a sparse set
 * (every String, the arrays Strings point to) stores it at the member's rank, a dense long-indexed position, instead
 * of at the node. One bit per node plus 8 bytes per 64 nodes for the ranks; nodes up to 2^37.
 *
 * <p>{@link #add} while filling (one thread), then {@link #freeze}; afterwards {@link #contains}, {@link #rank} and
 * {@link #select} are read-only and may be called from several threads.
 */
public final class NodeBits {
    private final long[] words;
    private long[] before;
    private long size;

    /** A set for nodes {@code 0 .. nodes-1}. */
    public NodeBits(long nodes) {
        if (nodes > (long) Integer.MAX_VALUE << 6) {
            throw new IllegalArgumentException(nodes + " nodes");
        }
        words = new long[(int) ((nodes + 63) >>> 6)];
    }

    public void add(long node) {
        words[(int) (node >>> 6)] |= 1L << node;
    }

    public boolean contains(long node) {
        return node >= 0 && (node >>> 6) < words.length && (words[(int) (node >>> 6)] & 1L << node) != 0;
    }

    /** Ends the filling: counts the members before each word. Returns the number of members. */
    public long freeze() {
        before = new long[words.length + 1];
        long n = 0;
        for (int i = 0; i < words.length; i++) {
            before[i] = n;
            n += Long.bitCount(words[i]);
        }
        before[words.length] = n;
        size = n;
        return n;
    }

    public long size() {
        return size;
    }

    /** The number of members below {@code node} (a member's dense index). */
    public long rank(long node) {
        int w = (int) (node >>> 6);
        return before[w] + Long.bitCount(words[w] & ((1L << node) - 1));
    }

    /** The member of rank {@code r} ({@code 0 <= r < size()}). */
    public long select(long r) {
        if (r < 0 || r >= size) {
            throw new IndexOutOfBoundsException("rank " + r + " of " + size);
        }
        int lo = 0;
        int hi = words.length - 1;
        // the last word whose count before is <= r
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (before[mid] <= r) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        long w = words[lo];
        for (long left = r - before[lo]; left > 0; left--) {
            w &= w - 1;
        }
        return ((long) lo << 6) + Long.numberOfTrailingZeros(w);
    }
}
