package dev.hotpath.analyzer.heap.internal;

/**
 * The set of a dump's object ids as a paged bitmap with rank counts, mapping an id to its rank (its position in
 * ascending id order) in O(1) and back by a binary search. It replaces a sort of the object table by id: HotSpot
 * writes object addresses as ids, aligned to 8 bytes, in heap-walk order (not sorted), and a bitmap of the address
 * span costs one bit per 8 heap bytes only where the heap holds objects.
 *
 * <p>A page covers {@code 2^16} aligned slots (8 KiB of bits, 2 KiB of per-word ranks, i.e. 512 KiB of heap at
 * 8-byte alignment); only pages holding an id exist. Ranks are longs, so more than 2^31 ids are fine here.
 * {@link #add} ids that are not multiples of {@code 2^shift} make {@link #aligned()} false: the caller rebuilds
 * with a smaller shift ({@link #shiftFor}). Duplicate ids count once.
 *
 * <p>Build with {@link #add}, then {@link #finish}; read-only and safe to share between threads afterwards.
 * {@code ObjectIdIndexTest} guards rank/select against a sorted array.
 */
public final class ObjectIdIndex {
    private static final int PAGE_BITS = 16;
    private static final int WORDS = 1 << (PAGE_BITS - 6);

    private final int shift;
    private final long alignMask;
    private final LongIntMap slotByPage = new LongIntMap(64);
    private long[] bits = new long[16 * WORDS];
    private int slots;
    private long orIds;
    private boolean aligned = true;

    // after finish()
    private long count;
    private long[] rankBase;      // per slot: ids in pages below it
    private char[] wordRank;      // per word: ids before it within its page (< 2^16)
    private long[] sortedPages;   // page keys ascending
    private int[] sortedSlots;
    private int[] direct;         // page key - minPage -> slot + 1 (0 = absent), when the span is small
    private long minPage;

    public ObjectIdIndex(int shift) {
        this.shift = shift;
        this.alignMask = (1L << shift) - 1;
    }

    /** The shift to rebuild with after ids turned out less aligned than assumed: their common power of two, at most 3. */
    public int shiftFor() {
        return Math.min(3, Long.numberOfTrailingZeros(orIds | 8));
    }

    public boolean aligned() {
        return aligned;
    }

    public void add(long id) {
        orIds |= id;
        if ((id & alignMask) != 0) {
            aligned = false;
            return;
        }
        long a = id >>> shift;
        long page = a >>> PAGE_BITS;
        int slot = slotByPage.get(page + 1, -1);
        if (slot < 0) {
            slot = slots++;
            slotByPage.put(page + 1, slot);
            if ((long) slots * WORDS > bits.length) {
                if ((long) bits.length * 2 > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("object ids spread over more than 2^31 bitmap words");
                }
                bits = java.util.Arrays.copyOf(bits, bits.length * 2);
            }
        }
        int bit = (int) (a & ((1 << PAGE_BITS) - 1));
        bits[slot * WORDS + (bit >>> 6)] |= 1L << bit;
    }

    /** Computes the ranks; {@link #add} must not be called afterwards. */
    public void finish() {
        bits = java.util.Arrays.copyOf(bits, slots * WORDS);
        sortedPages = new long[slots];
        sortedSlots = new int[slots];
        int k = 0;
        long[] keys = slotByPage.keys();
        int[] values = slotByPage.values();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                sortedPages[k] = keys[i] - 1;
                sortedSlots[k] = values[i];
                k++;
            }
        }
        sortPairs(sortedPages, sortedSlots);
        rankBase = new long[slots];
        wordRank = new char[slots * WORDS];
        long total = 0;
        for (int i = 0; i < slots; i++) {
            int s = sortedSlots[i];
            rankBase[s] = total;
            int inPage = 0;
            for (int w = 0; w < WORDS; w++) {
                wordRank[s * WORDS + w] = (char) inPage;
                inPage += Long.bitCount(bits[s * WORDS + w]);
            }
            total += inPage;
        }
        count = total;
        if (slots > 0) {
            minPage = sortedPages[0];
            long span = sortedPages[slots - 1] - minPage + 1;
            if (span <= (1 << 22)) {
                direct = new int[(int) span];
                for (int i = 0; i < slots; i++) {
                    direct[(int) (sortedPages[i] - minPage)] = sortedSlots[i] + 1;
                }
            }
        }
    }

    private static void sortPairs(long[] keys, int[] vals) {
        // few thousand pages: insertion into a sorted permutation via Arrays.sort of packed indexes is enough
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Long.compare(keys[x], keys[y]));
        long[] k2 = new long[keys.length];
        int[] v2 = new int[keys.length];
        for (int i = 0; i < order.length; i++) {
            k2[i] = keys[order[i]];
            v2[i] = vals[order[i]];
        }
        System.arraycopy(k2, 0, keys, 0, keys.length);
        System.arraycopy(v2, 0, vals, 0, vals.length);
    }

    /** Distinct ids added. */
    public long count() {
        return count;
    }

    private int slotOf(long page) {
        if (direct != null) {
            long d = page - minPage;
            return d < 0 || d >= direct.length ? -1 : direct[(int) d] - 1;
        }
        return slotByPage.get(page + 1, -1);
    }

    /** Position of the id in ascending order (0-based), or -1 when the id is not in the set. */
    public long rank(long id) {
        if ((id & alignMask) != 0) {
            return -1;
        }
        long a = id >>> shift;
        int slot = slotOf(a >>> PAGE_BITS);
        if (slot < 0) {
            return -1;
        }
        int bit = (int) (a & ((1 << PAGE_BITS) - 1));
        int w = slot * WORDS + (bit >>> 6);
        long word = bits[w];
        if ((word & (1L << bit)) == 0) {
            return -1;
        }
        return rankBase[slot] + wordRank[w] + Long.bitCount(word & ((1L << bit) - 1));
    }

    /** The smallest id in the set above {@code id} (which need not be in the set), or -1: a scan of a few words. */
    public long next(long id) {
        long a = (id >>> shift) + 1;
        long page = a >>> PAGE_BITS;
        int slot = slotOf(page);
        if (slot >= 0) {
            long found = scanPage(slot, page, (int) (a & ((1 << PAGE_BITS) - 1)));
            if (found >= 0) {
                return found;
            }
        }
        int i = java.util.Arrays.binarySearch(sortedPages, 0, slots, page + 1);
        for (i = i < 0 ? -i - 1 : i; i < slots; i++) {
            long found = scanPage(sortedSlots[i], sortedPages[i], 0);
            if (found >= 0) {
                return found;
            }
        }
        return -1;
    }

    private long scanPage(int slot, long page, int fromBit) {
        int w = fromBit >>> 6;
        long word = bits[slot * WORDS + w] & (-1L << (fromBit & 63));
        while (true) {
            if (word != 0) {
                long a = (page << PAGE_BITS) | ((long) w << 6) | Long.numberOfTrailingZeros(word);
                return a << shift;
            }
            if (++w == WORDS) {
                return -1;
            }
            word = bits[slot * WORDS + w];
        }
    }

    /** The id of the given rank ({@code 0 <= rank < count()}). */
    public long select(long rank) {
        if (rank < 0 || rank >= count) {
            throw new IndexOutOfBoundsException("rank " + rank + " of " + count);
        }
        int lo = 0;
        int hi = slots - 1;
        while (lo < hi) { // last page whose base <= rank
            int mid = (lo + hi + 1) >>> 1;
            if (rankBase[sortedSlots[mid]] <= rank) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int slot = sortedSlots[lo];
        int rem = (int) (rank - rankBase[slot]);
        for (int w = 0; w < WORDS; w++) {
            long word = bits[slot * WORDS + w];
            int before = wordRank[slot * WORDS + w];
            int in = Long.bitCount(word);
            if (rem < before + in) {
                int skip = rem - before;
                for (int b = 0; b < 64; b++) {
                    if ((word & (1L << b)) != 0 && skip-- == 0) {
                        long a = (sortedPages[lo] << PAGE_BITS) | ((long) w << 6) | b;
                        return a << shift;
                    }
                }
            }
        }
        throw new IllegalStateException("rank " + rank + " not found");
    }

    /** Heap bytes this index holds (for the memory notes in docs/heap.md). */
    public long footprintBytes() {
        return bits.length * 8L + (wordRank == null ? 0 : wordRank.length * 2L) + (direct == null ? 0 : direct.length * 4L);
    }
}
