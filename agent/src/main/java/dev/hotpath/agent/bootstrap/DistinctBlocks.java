package dev.hotpath.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How many distinct 4 KiB blocks of its file a read key has read: linear counting (Whang, Vander-Zanden and Taylor,
 * "A linear-time probabilistic counting algorithm for database applications", TODS 1990) over a bitmap of
 * {@value #BITS} bits in {@value #LANES} lanes. Comparing the estimate with the key's bytes read tells re-reading (the
 * same ranges again and again) from reading much, with no need to know the file's size.
 *
 * <h2>Regions and lanes</h2>
 * The bitmap is {@value #WORDS} 64-bit words; bits {@code 8l .. 8l+7} of every word form lane {@code l}, a bitmap of
 * {@value #LANE_BITS} bits. Block {@code b} lies in region {@code b >>> 3} (32 KiB) at lane {@code b & 7}; the region's
 * hash {@code h} (MurmurHash3's 64-bit finalizer) picks the word ({@code h >>> 57}) and, for each lane {@code l}, the
 * bit within the lane's byte ({@code (h >>> 3l) & 7}; see {@link #bit}). So every lane is its own linear counter of
 * the blocks at its offset within their region, each block of a region goes to a different lane (a region's blocks
 * never collide with each other), and a read of up to 32 KiB sets its bits in one or two words: one cache line,
 * where one hashed bit per block put a 16 KiB read's four blocks on four random lines of the key's 1 KiB bitmap
 * (a cold miss each on a service reading a file per request: the agent's cost is mostly the lines it touches).
 * The estimate is the sum of the lanes' estimates, {@code -1024 ln(clearBits_l / 1024)} each, so a key whose reads
 * all start at one offset within their regions (a 32 KiB stride) is counted in one lane, correctly, with an eighth
 * of the capacity.
 *
 * <h2>Where the bitmap lives</h2>
 * In the key's own {@link SiteCounter#cells} array, after the header, stripes and histogram: a file-read key's cells
 * are {@value #LENGTH} longs instead of {@value #BASE}, so the recorder's hot path, which already holds the cells
 * (cached in the stream's state), touches no further object. Only keys of kind file, op read and a named target get the
 * larger array ({@link #wanted}); write, socket and folded {@code (other)}, {@code (fd)} and {@code (stdin)} keys cost
 * nothing. Memory: 1,032 bytes more per file-read key; the registry names at most {@code 4 x maxSites} (site, target)
 * pairs, so at most {@code 4 x maxSites x 1 KiB} in all (16 MiB at the default {@code maxSites=4096}; a service reading
 * a few dozen files from a few dozen sites uses tens of KiB).
 *
 * <h2>Cost</h2>
 * Per region touched: one mix (two multiplies), one plain read of its word and, only when one of the read's bits in it
 * is still clear, one atomic OR ({@code getAndBitwiseOr}) of all of them. A key re-reading blocks it has read before
 * does no atomic at all, and no key does more than {@value #BITS} in its life (plus one per race of two threads on the
 * same new bits). A read spanning more than {@value #MAX_BLOCKS_PER_OP} blocks (16 MiB) marks only its first
 * {@value #MAX_BLOCKS_PER_OP} blocks and flags the key, whose estimate is from then on only a lower bound
 * ({@link #saturated}): the marking cost of one operation stays bounded (a few microseconds against the milliseconds
 * such a read takes).
 *
 * <h2>Accuracy</h2>
 * Exact up to hash collisions for small sets, and exact for any set within one region (a file of up to 32 KiB): two
 * blocks collide only when they share a lane and their regions share the word and that lane's bit (1 in
 * {@value #LANE_BITS}); 64 consecutive blocks expect ~0.2 collisions. The standard error is that of one 8192-bit
 * counter when the lanes are evenly loaded, ~1% at 16,384 blocks (a 64 MiB file read once). When a lane has fewer
 * than {@value #MIN_LANE_ZERO_BITS} clear bits, or a read was truncated as above, the estimate is reported as a lower
 * bound: such a lane counts {@code 1024 ln(1024 / 8)} (~4,968) blocks, which its true count exceeds unless the
 * clear-bit count was more than four standard deviations off, and the sum is rounded down; with every lane so,
 * {@link #SATURATED_BLOCKS} blocks (155 MiB). A block counts whole even when only part of it was read, so distinct
 * bytes are over-estimated (never under-) for reads smaller than a block: amplification is then under-stated, never
 * invented.
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
    /** Lanes: one per block of a region, each a byte of every word. */
    static final int LANES = 8;
    static final int LANE_BITS = BITS / LANES;
    /** Blocks per region: {@code 1 << REGION_SHIFT} (32 KiB), one per lane. */
    static final int REGION_SHIFT = 3;
    /** Index of the bitmap's first word in a file-read key's cells (right after the header, stripes and histogram). */
    static final int BASE = SiteCounter.LENGTH;
    /** Set to 1 when a read was marked only partly ({@link #MAX_BLOCKS_PER_OP}). */
    static final int TRUNCATED = BASE + WORDS;
    /** Length of a file-read key's cells. */
    static final int LENGTH = TRUNCATED + 1;
    public static final int MAX_BLOCKS_PER_OP = 4096;
    /** Below this many clear bits in the whole bitmap, with evenly loaded lanes, only a lower bound is claimed. */
    public static final int MIN_ZERO_BITS = 32;
    /** The same per lane: below this many clear bits a lane's variance grows quickly. */
    static final int MIN_LANE_ZERO_BITS = MIN_ZERO_BITS / LANES;
    /** What a saturated lane counts: {@code 1024 ln(1024 / (2 x MIN_LANE_ZERO_BITS))}. */
    private static final double LANE_SATURATED = LANE_BITS * Math.log((double) LANE_BITS / (2 * MIN_LANE_ZERO_BITS));
    /** The lower bound claimed when every lane is saturated: {@code m ln(m / (2 x MIN_ZERO_BITS))}, rounded down. */
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
     * bitmap, an empty range or a negative position), one word per region. Allocates nothing.
     */
    static void mark(long[] cells, long begin, long end) {
        if (cells.length != LENGTH || end <= begin || begin < 0) {
            return;
        }
        long first = begin >>> BLOCK_SHIFT;
        long last = (end - 1) >>> BLOCK_SHIFT; // inclusive
        if (last - first >= MAX_BLOCKS_PER_OP) {
            last = first + MAX_BLOCKS_PER_OP - 1;
            if (cells[TRUNCATED] == 0) {
                LONGS.setVolatile(cells, TRUNCATED, 1L);
            }
        }
        // one word per region; lanes by an int loop (a loop over the blocks' long indexes, nested in one over the
        // regions, made AgentCpuCostHarness's 4 KiB read loop about a point dearer than one hashed bit per block)
        long region = first >>> REGION_SHIFT;
        long lastRegion = last >>> REGION_SHIFT;
        int lane = (int) first & (LANES - 1);
        while (true) {
            long h = mix(region);
            int laneEnd = region == lastRegion ? (int) last & (LANES - 1) : LANES - 1;
            long mask = 0;
            for (int l = lane; l <= laneEnd; l++) {
                mask |= 1L << laneBit(h, l);
            }
            int i = BASE + word(h);
            if ((cells[i] & mask) != mask) {
                LONGS.getAndBitwiseOr(cells, i, mask);
            }
            if (region == lastRegion) {
                return;
            }
            region++;
            lane = 0;
        }
    }

    /**
     * The bit of block {@code block} in the bitmap ({@code 64 x word + bit within the word}): its region's word, its
     * lane's byte, and the bit the region's hash gives that lane.
     */
    public static int bit(long block) {
        long h = mix(block >>> REGION_SHIFT);
        return word(h) << 6 | laneBit(h, (int) block & (LANES - 1));
    }

    private static int word(long h) {
        return (int) (h >>> 57);
    }

    private static int laneBit(long h, int lane) {
        return lane << 3 | (int) (h >>> 3 * lane) & 7;
    }

    /** MurmurHash3's 64-bit finalizer: every input bit affects every output bit. */
    private static long mix(long x) {
        long h = x;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Bits still clear in all lanes ({@link #laneZeroBits} summed), or -1 for cells without a bitmap (tests). */
    static int zeroBits(long[] cells) {
        int[] lanes = laneZeroBits(cells);
        if (lanes == null) {
            return -1;
        }
        int zeros = 0;
        for (int z : lanes) {
            zeros += z;
        }
        return zeros;
    }

    /** Clear bits per lane, or {@code null} for cells without a bitmap. */
    static int[] laneZeroBits(long[] cells) {
        if (cells.length != LENGTH) {
            return null;
        }
        VarHandle.acquireFence(); // then plain reads, as SiteCounter's sums (read by the exporters once per interval)
        int[] zeros = new int[LANES];
        for (int i = 0; i < WORDS; i++) {
            long w = cells[BASE + i];
            for (int l = 0; l < LANES; l++) {
                zeros[l] += 8 - Long.bitCount(w >>> 8 * l & 0xFF);
            }
        }
        return zeros;
    }

    /** True when the estimate is only a lower bound: a lane with too few clear bits, or a read marked only in part. */
    static boolean saturated(long[] cells) {
        if (cells.length != LENGTH) {
            return false;
        }
        if ((long) LONGS.getVolatile(cells, TRUNCATED) != 0) {
            return true;
        }
        for (int z : laneZeroBits(cells)) {
            if (z < MIN_LANE_ZERO_BITS) {
                return true;
            }
        }
        return false;
    }

    /**
     * Estimated distinct blocks marked: the sum of the lanes' {@code -1024 ln(clearBits / 1024)}, rounded (rounded
     * down when a lane is saturated and counts {@code 1024 ln(128)}); 0 when nothing was marked, -1 for cells without
     * a bitmap.
     */
    static long blocks(long[] cells) {
        return blocks(laneZeroBits(cells));
    }

    /** {@link #blocks(long[])} from the clear bits of each lane ({@code null}: no bitmap). */
    static long blocks(int[] laneZeroBits) {
        if (laneZeroBits == null) {
            return -1;
        }
        double sum = 0;
        boolean saturated = false;
        for (int z : laneZeroBits) {
            if (z < MIN_LANE_ZERO_BITS) {
                sum += LANE_SATURATED;
                saturated = true;
            } else if (z < LANE_BITS) {
                sum += -LANE_BITS * Math.log((double) z / LANE_BITS);
            }
        }
        return saturated ? (long) Math.floor(sum) : Math.round(sum);
    }
}
