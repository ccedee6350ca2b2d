package dev.hotpath.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How many distinct 4 KiB blocks of its file a read key has read: linear counting (Whang, Vander-Zanden and Taylor,
 * "A linear-time probabilistic counting algorithm for database applications", TODS 1990) over a bitmap of
 * {@value #BITS} bits. A read of {@code [begin, end)} sets, for every block index {@code b} it touches, bit
 * {@code mix(b) >>> 51} ({@link #bit}); the number of distinct blocks is then about {@code -m ln(zeroBits / m)}.
 * Comparing it with the key's bytes read tells re-reading (the same ranges again and again) from reading much, with no
 * need to know the file's size.
 *
 * <h2>Where the bitmap lives</h2>
 * In the key's own {@link SiteCounter#cells} array, after the counter stripes: a file-read key's cells are
 * {@value #LENGTH} longs instead of 64, so the recorder's hot path, which already holds the cells (cached in the
 * stream's state), touches no further object. Only keys of kind file, op read and a named target get the larger
 * array ({@link #wanted}); write, socket and folded {@code (other)}, {@code (fd)} and {@code (stdin)} keys cost nothing. Memory: 1,032
 * bytes more per file-read key; the registry names at most {@code 4 x maxSites} (site, target) pairs, so at most
 * {@code 4 x maxSites x 1 KiB} in all (16 MiB at the default {@code maxSites=4096}; a service reading a few dozen
 * files from a few dozen sites uses tens of KiB).
 *
 * <h2>Cost</h2>
 * Per block touched: one mix (two multiplies), one plain read of the bitmap word and, only when the bit is still
 * clear, one atomic OR ({@code getAndBitwiseOr}). A key re-reading blocks it has read before does no atomic at all,
 * and no key does more than {@value #BITS} in its life (plus one per race of two threads on the same new bit).
 * A read spanning more than {@value #MAX_BLOCKS_PER_OP} blocks (16 MiB) marks only its first
 * {@value #MAX_BLOCKS_PER_OP} blocks and flags the key, whose estimate is from then on only a lower bound
 * ({@link #saturated}): the marking cost of one operation stays bounded (~10 us against the milliseconds such a read
 * takes).
 *
 * <h2>Accuracy</h2>
 * Exact up to hash collisions for small sets (64 blocks: ~0.25 expected collisions among 8192 bits), ~1% standard error
 * at 16,384 blocks (a 64 MiB file read once). When fewer than {@value #MIN_ZERO_BITS} bits are still clear, or a read
 * was truncated as above, the estimate is reported as a lower bound: {@link #SATURATED_BLOCKS} blocks (155 MiB), which
 * the true count exceeds unless the clear-bit count was more than four standard deviations off. A block counts whole
 * even when only part of it was read, so distinct bytes are over-estimated (never under-) for reads smaller than a
 * block: amplification is then under-stated, never invented.
 *
 * <p>Thread-safety: marking is lock-free and idempotent (OR of bits), so concurrent readers of one key end with the
 * same bitmap as any sequential order of their reads; a reader of the estimate racing with markers sees some prefix.
 */
public final class DistinctBlocks {
    /** Bytes per block (4 KiB, a page and the usual device and file-system block). */
    public static final int BLOCK_SHIFT = 12;
    /** m: bits in the bitmap. */
    public static final int BITS = 8192;
    static final int WORDS = BITS / 64;
    /** Index of the bitmap's first word in a file-read key's cells (right after the counter stripes). */
    static final int BASE = 64;
    /** Set to 1 when a read was marked only partly ({@link #MAX_BLOCKS_PER_OP}). */
    static final int TRUNCATED = BASE + WORDS;
    /** Length of a file-read key's cells. */
    static final int LENGTH = TRUNCATED + 1;
    public static final int MAX_BLOCKS_PER_OP = 4096;
    /** Below this many clear bits the estimate's variance grows quickly: only a lower bound is claimed. */
    public static final int MIN_ZERO_BITS = 32;
    /** The lower bound claimed when saturated: {@code m ln(m / (2 x MIN_ZERO_BITS))}, rounded down. */
    public static final long SATURATED_BLOCKS = (long) (BITS * Math.log((double) BITS / (2 * MIN_ZERO_BITS)));

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private DistinctBlocks() {
    }

    /** Whether a key of this kind, op and target keeps a bitmap. */
    static boolean wanted(int kind, int op, String target) {
        // "(other)", "(fd)", "(stdin)": no one file
        return kind == Ops.KIND_FILE && op == Ops.READ && !target.isEmpty() && target.charAt(0) != '(';
    }

    /**
     * Marks the blocks of {@code [begin, end)} in {@code cells} (a key's cells; nothing happens for cells without a
     * bitmap, an empty range or a negative position). Allocates nothing.
     */
    static void mark(long[] cells, long begin, long end) {
        if (cells.length != LENGTH || end <= begin || begin < 0) {
            return;
        }
        long first = begin >>> BLOCK_SHIFT;
        long n = ((end - 1) >>> BLOCK_SHIFT) - first + 1;
        if (n > MAX_BLOCKS_PER_OP) {
            n = MAX_BLOCKS_PER_OP;
            if (cells[TRUNCATED] == 0) {
                LONGS.setVolatile(cells, TRUNCATED, 1L);
            }
        }
        for (long b = first, last = first + n; b < last; b++) {
            int bit = bit(b);
            int i = BASE + (bit >>> 6);
            long mask = 1L << bit;
            if ((cells[i] & mask) == 0) {
                LONGS.getAndBitwiseOr(cells, i, mask);
            }
        }
    }

    /**
     * The bit of block {@code block}: the top 13 bits of the MurmurHash3 64-bit finalizer (every input bit affects
     * every output bit, so neighbouring blocks land on unrelated bits).
     */
    public static int bit(long block) {
        long h = block;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) (h >>> (64 - 13));
    }

    /** Bits still clear, or -1 for cells without a bitmap. */
    static int zeroBits(long[] cells) {
        if (cells.length != LENGTH) {
            return -1;
        }
        VarHandle.acquireFence(); // then plain reads, as SiteCounter's sums (read by the exporters once per interval)
        int ones = 0;
        for (int i = 0; i < WORDS; i++) {
            ones += Long.bitCount(cells[BASE + i]);
        }
        return BITS - ones;
    }

    /** True when the estimate is only a lower bound: too few clear bits, or a read marked only in part. */
    static boolean saturated(long[] cells) {
        return cells.length == LENGTH
                && (zeroBits(cells) < MIN_ZERO_BITS || (long) LONGS.getVolatile(cells, TRUNCATED) != 0);
    }

    /**
     * Estimated distinct blocks marked, rounded to a whole block: {@code round(-m ln(zeroBits / m))}; when
     * {@link #saturated} because of too few clear bits, {@link #SATURATED_BLOCKS}; -1 for cells without a bitmap.
     */
    static long blocks(long[] cells) {
        return blocks(zeroBits(cells));
    }

    /** {@link #blocks(long[])} from a count of clear bits (-1: no bitmap). */
    public static long blocks(int zeroBits) {
        if (zeroBits < 0) {
            return -1;
        }
        if (zeroBits < MIN_ZERO_BITS) {
            return SATURATED_BLOCKS;
        }
        return Math.round(-BITS * Math.log((double) zeroBits / BITS));
    }
}
