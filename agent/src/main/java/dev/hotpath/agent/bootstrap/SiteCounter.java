package dev.hotpath.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The aggregate of one key (call site x kind x op x target). Thread-safe and lock-free: scalar counts are striped over
 * four cache-line-padded stripes (chosen by the stream's key, mostly its descriptor number, on the recorder's hot
 * path, by thread id otherwise) and added with atomic adds. Recording allocates nothing and costs one atomic add for
 * an untimed operation that moves its stripe's usual number of bytes (see {@link #UNIT}), two for another: the count
 * is kept as cells by access pattern (sequential, random, unclassified) so that counting and classifying is one add.
 * Readers sum the stripes; a reader racing with writers may see an operation's count before its bytes, never a lost
 * update. The histogram, sum and maximum cover the timed operations only (see {@link Recorder#clock}).
 *
 * <p>Everything an operation touches is in one array, {@link #cells}: a header line (what the registry's lock-free
 * lookup compares, the maximum latency, which histogram chunks live here), the stripes, two chunks of the histogram
 * and, for a file read, the distinct-block bitmap. A new stream's first operation on a known key thus touches the
 * registry's array of recent keys and this array, not this object: after a system call every line and page is cold
 * (with page-table isolation and no PCID, as on the virtual machines we measured on, each one a page walk as well),
 * and the object, its histogram array and a chunk elsewhere were three more of each.
 */
public final class SiteCounter {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int STRIPES = 4;
    private static final int STRIDE = 16; // 128 bytes per stripe: no false sharing between stripes
    /**
     * The header, {@value #HEADER} longs before the stripes, written once (but {@link #MAX} and {@link #HOME}): read by
     * every new stream's lookup, so kept out of the stripes' lines, which other cores' adds invalidate.
     */
    static final int HEADER = 8;
    /** {@link SiteRegistry#keyHash} (high half), kind and op: the first thing the lock-free lookup compares. */
    static final int KEY = 0;
    /** {@link SiteRegistry#targetHash} of {@link #target}. */
    static final int TARGET_HASH = 1;
    /** {@link SiteRegistry#targetHash} of {@link #site}: the lookup compares it instead of the site's characters. */
    static final int SITE_HASH = 2;
    /** The largest timed latency, raised by compare-and-set. */
    static final int MAX = 3;
    /**
     * Which histogram chunks live in the cells ({@link #HISTOGRAM}): chunk index + 1 in bits 0-7 (the first) and 8-15
     * (the second), 0 while free; each set once, by the first timed operation landing in a chunk not yet placed.
     */
    static final int HOME = 4;
    static final int UNCLASSIFIED = 0;
    static final int BYTES = 1;
    static final int ERRORS = 2;
    static final int SEQUENTIAL = 3;
    static final int RANDOM = 4;
    static final int SUM_NANOS = 5;
    /**
     * The stripe's unit: the byte count of the first operation on it that moved bytes (0 until then; an operation
     * that moves nothing never sets it, nor is counted as one). An operation that moves exactly the unit is counted
     * in its pattern's unit cell ({@link #UNITS} after its pattern's cell) and adds no bytes: bytes are
     * {@link #BYTES} plus the unit times those cells. A loop of fixed-size records or pages (the common case) thus
     * costs one atomic add per operation instead of two; other sizes cost two as before.
     */
    static final int UNIT = 7;
    /** How far each pattern's unit cell is from its cell (unclassified 6, sequential 9, random 10). */
    static final int UNITS = 6;
    static final int UNCLASSIFIED_UNITS = UNCLASSIFIED + UNITS;
    static final int SEQUENTIAL_UNITS = SEQUENTIAL + UNITS;
    static final int RANDOM_UNITS = RANDOM + UNITS;
    /** The two chunks of the histogram kept in the cells, after the stripes ({@link #HOME}). */
    static final int HISTOGRAM = HEADER + STRIPES * STRIDE;
    private static final int HOME_CHUNKS = 2;
    /** Length of the cells of a key without a bitmap; a file read's continue with {@link DistinctBlocks}'. */
    static final int LENGTH = HISTOGRAM + HOME_CHUNKS * 8;

    public final String site;
    public final int kind;
    public final int op;
    public final String target;
    /** Class name, method and line of the site, for the cheap same-site comparison after a sampled stack walk. */
    final String siteClass;
    final String siteMethod;
    final int siteLine;
    /** {@link SiteRegistry#keyHash} of this key: its set in the registry's recent keys (the lookup compares cells). */
    final int keyHash;

    /**
     * The header, stripes and home chunks of the histogram (see the class comment); read directly by the recorder's
     * hot path, which caches them in the stream's state. A file-read key's cells continue with its distinct-block
     * bitmap ({@link DistinctBlocks}).
     */
    final long[] cells;
    /**
     * The histogram's other chunks of {@value #CHUNK} buckets, each allocated by the first operation that lands in it
     * (the first two chunks a key's operations land in are in {@link #cells}): a key's latencies span a few octaves,
     * so a key holds ~100-250 bytes of histogram instead of all {@link LatencyBuckets#COUNT} buckets (1,280 bytes). A
     * service writing a new temp file per request fills its share of {@code maxSites} keys within seconds, each with
     * one or two latencies; at 4,096 such keys the full arrays were ~5 MB of its heap (a fast machine's 20-second
     * clean demo had the gateway's live set flagged as growing).
     */
    private final long[][] histogram = new long[(LatencyBuckets.COUNT + CHUNK - 1) / CHUNK][];
    private static final int CHUNK = 8;
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(long[][].class);

    SiteCounter(String site, String siteClass, String siteMethod, int siteLine, int kind, int op, String target) {
        this.site = site;
        this.siteClass = siteClass;
        this.siteMethod = siteMethod;
        this.siteLine = siteLine;
        this.kind = kind;
        this.op = op;
        this.target = target;
        long targetHash = SiteRegistry.targetHash(target);
        this.keyHash = SiteRegistry.keyHash(site, kind, op, targetHash);
        long[] c = new long[DistinctBlocks.wanted(kind, op, target) ? DistinctBlocks.LENGTH : LENGTH];
        c[KEY] = key(keyHash, kind, op);
        c[TARGET_HASH] = targetHash;
        c[SITE_HASH] = SiteRegistry.targetHash(site);
        this.cells = c; // published by the final field, or by the registry's release of the recent-keys array
    }

    /** What {@link #KEY} holds for a key of this hash, kind and op. */
    static long key(int keyHash, int kind, int op) {
        return (long) keyHash << 32 | kind << 16 | op;
    }

    /**
     * @param nanos   the latency, or negative for an operation that was counted but not timed
     * @param pattern 1 sequential, 2 random, 0 not classified
     */
    void record(long nanos, long bytes, boolean error, int pattern) {
        record(this, cells, stripe((int) Thread.currentThread().getId()), nanos, bytes, error, pattern);
    }

    /**
     * {@link #record(long, long, boolean, int)} into {@code cells}, a key's cells as the stream's state cached them;
     * {@code c} is the state's counter for them, a hint checked before use ({@link Recorder#owner}), read only when
     * the latency falls outside the histogram's home chunks. On the stripe at {@code base} (see {@link #stripe}).
     */
    static void record(SiteCounter c, long[] cells, int base, long nanos, long bytes, boolean error, int pattern) {
        add(cells, base, bytes, error, pattern);
        if (nanos < 0) {
            return;
        }
        LONGS.getAndAdd(cells, base + SUM_NANOS, nanos);
        int bucket = LatencyBuckets.index(nanos);
        int home = home(cells, bucket / CHUNK);
        if (home >= 0) {
            LONGS.getAndAdd(cells, HISTOGRAM + home * CHUNK + bucket % CHUNK, 1L);
        } else {
            SiteCounter o = Recorder.owner(c, cells);
            if (o != null) {
                o.addOutside(bucket);
            }
        }
        long m = cells[MAX]; // a plain read: a stale value only costs a failed exchange below
        while (nanos > m) {
            long won = (long) LONGS.compareAndExchange(cells, MAX, m, nanos);
            if (won == m) {
                break;
            }
            m = won;
        }
    }

    /** The home chunk (0 or 1) that holds chunk {@code chunk}, placing it there if one is free; -1 if none does. */
    private static int home(long[] cells, int chunk) {
        long h = cells[HOME]; // a plain read: a stale value only costs the exchange below
        int tag = chunk + 1;
        while (true) {
            int first = (int) h & 0xFF;
            if (first == tag) {
                return 0;
            }
            int second = (int) (h >>> 8) & 0xFF;
            if (second == tag) {
                return 1;
            }
            if (second != 0) {
                return -1;
            }
            long placed = first == 0 ? tag : h | (long) tag << 8;
            long won = (long) LONGS.compareAndExchange(cells, HOME, h, placed);
            if (won == h) {
                return first == 0 ? 0 : 1;
            }
            h = won;
        }
    }

    /** Counts a latency in bucket {@code bucket}, whose chunk is not one of the cells' home chunks. */
    private void addOutside(int bucket) {
        long[] chunk = histogram[bucket / CHUNK]; // a plain read: a stale null only costs the exchange below
        if (chunk == null) {
            chunk = chunk(bucket / CHUNK);
        }
        LONGS.getAndAdd(chunk, bucket % CHUNK, 1L);
    }

    /** The histogram's chunk {@code i}, allocated now if no thread did before (the first one published wins). */
    private long[] chunk(int i) {
        long[] fresh = new long[CHUNK];
        long[] won = (long[]) CHUNKS.compareAndExchange(histogram, i, (long[]) null, fresh);
        return won == null ? fresh : won;
    }

    /** The offset of the stripe for {@code hash} (a thread id, or a stream's {@link StreamState#hash}) in {@link #cells}. */
    static int stripe(int hash) {
        return HEADER + (hash & (STRIPES - 1)) * STRIDE;
    }

    /**
     * Counts an untimed operation straight into a counter's {@link #cells} (cached by the stream's state next to the
     * counter, so that the hot path does not touch the counter object itself).
     */
    static void add(long[] c, int base, long bytes, boolean error, int pattern) {
        int cell = base + (pattern == 1 ? SEQUENTIAL : pattern == 2 ? RANDOM : UNCLASSIFIED);
        long unit = c[base + UNIT]; // a plain read: a stale 0 only sends the op to the exchange below
        if (bytes > 0 && (bytes == unit || unit == 0 && unitIs(c, base, bytes))) {
            LONGS.getAndAdd(c, cell + UNITS, 1L);
        } else {
            LONGS.getAndAdd(c, cell, 1L);
            if (bytes > 0) {
                LONGS.getAndAdd(c, base + BYTES, bytes);
            }
        }
        if (error) {
            LONGS.getAndAdd(c, base + ERRORS, 1L);
        }
    }

    /** The unit of the stripe at {@code base} ({@link #UNIT}), 0 while it has none. */
    static long unit(long[] c, int base) {
        return c[base + UNIT];
    }

    /** Adds {@code n} operations of the stripe's unit to the unit cell at {@code index} ({@link Tally#settle}). */
    static void addUnits(long[] c, int index, long n) {
        LONGS.getAndAdd(c, index, n);
    }

    /** Makes {@code bytes} the stripe's unit if it has none; whether the unit is now {@code bytes}. */
    private static boolean unitIs(long[] c, int base, long bytes) {
        long won = (long) LONGS.compareAndExchange(c, base + UNIT, 0L, bytes);
        return won == 0L || won == bytes;
    }

    /**
     * One acquire fence, then plain reads: the exporters read every key once per interval, in code the JIT seldom
     * compiles, where each VarHandle access costs a call chain. A plain read of an aligned long is atomic on the
     * 64-bit JVMs the agent runs on, and the fence orders these reads after whatever the reader saw before, as the
     * volatile reads did; a reader racing with writers sees some recent value of each cell, as before.
     */
    private long sum(int field) {
        VarHandle.acquireFence();
        long[] c = cells;
        long s = 0;
        for (int i = 0; i < STRIPES; i++) {
            s += c[HEADER + i * STRIDE + field];
        }
        return s;
    }

    public long count() {
        return sum(UNCLASSIFIED) + sum(SEQUENTIAL) + sum(RANDOM)
                + sum(UNCLASSIFIED_UNITS) + sum(SEQUENTIAL_UNITS) + sum(RANDOM_UNITS);
    }

    /** {@link #BYTES} plus each stripe's unit times its operations of that size (see {@link #UNIT}). */
    public long bytes() {
        VarHandle.acquireFence();
        long[] c = cells;
        long s = 0;
        for (int i = 0; i < STRIPES; i++) {
            int b = HEADER + i * STRIDE;
            long units = c[b + UNCLASSIFIED_UNITS] + c[b + SEQUENTIAL_UNITS] + c[b + RANDOM_UNITS];
            s += c[b + BYTES] + (units == 0 ? 0 : (long) LONGS.getVolatile(c, b + UNIT) * units);
        }
        return s;
    }

    public long errors() {
        return sum(ERRORS);
    }

    public long sequentialOps() {
        return sum(SEQUENTIAL) + sum(SEQUENTIAL_UNITS);
    }

    public long randomOps() {
        return sum(RANDOM) + sum(RANDOM_UNITS);
    }

    /** Sum of the timed operations' latencies. */
    public long sumNanos() {
        return sum(SUM_NANOS);
    }

    public long maxNanos() {
        return (long) LONGS.getVolatile(cells, MAX);
    }

    /** A copy of the histogram's bucket counts, indexed as {@link LatencyBuckets}. */
    public long[] histogram() {
        VarHandle.acquireFence(); // then plain reads, as in sum
        long[] out = new long[LatencyBuckets.COUNT];
        for (int i = 0; i < histogram.length; i++) {
            long[] chunk = histogram[i];
            if (chunk != null) {
                System.arraycopy(chunk, 0, out, i * CHUNK, Math.min(CHUNK, out.length - i * CHUNK));
            }
        }
        long h = cells[HOME];
        for (int k = 0; k < HOME_CHUNKS; k++) {
            int chunk = (int) (h >>> 8 * k & 0xFF) - 1;
            for (int b = 0; chunk >= 0 && b < CHUNK && chunk * CHUNK + b < out.length; b++) {
                out[chunk * CHUNK + b] += cells[HISTOGRAM + k * CHUNK + b];
            }
        }
        return out;
    }

    /**
     * Estimated distinct bytes read: the distinct 4 KiB blocks the key's reads touched ({@link DistinctBlocks}) x
     * 4096, at most {@link #bytes()}; -1 when the key keeps no bitmap (not a file read of a named target) or has
     * read nothing yet.
     */
    public long distinctBytes() {
        return distinctBytes(bytes());
    }

    /**
     * {@link #distinctBytes()} capped at {@code bytesRead}, the key's bytes as the caller read them: an exporter that
     * read the bytes before the bitmap, with reads still running, never shows more distinct bytes than bytes.
     */
    public long distinctBytes(long bytesRead) {
        long blocks = DistinctBlocks.blocks(cells);
        if (blocks <= 0) { // no bitmap, or nothing marked
            return -1;
        }
        return Math.min(bytesRead, blocks << DistinctBlocks.BLOCK_SHIFT);
    }

    /** True when {@link #distinctBytes()} is only a lower bound (see {@link DistinctBlocks#saturated}). */
    public boolean distinctSaturated() {
        return DistinctBlocks.saturated(cells);
    }

    /**
     * "sequential" when every classified op started where the previous op on its stream/channel ended, "random" when
     * none did, "mixed" otherwise, and "n/a" for ops without a position (sockets, force, connect, accept, map).
     */
    public String pattern() {
        long seq = sequentialOps();
        long rnd = randomOps();
        if (seq == 0 && rnd == 0) {
            return "n/a";
        }
        return rnd == 0 ? "sequential" : seq == 0 ? "random" : "mixed";
    }
}
