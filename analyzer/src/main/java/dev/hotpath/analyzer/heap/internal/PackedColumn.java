package dev.hotpath.analyzer.heap.internal;

/**
 * A non-negative int per node in one or two bytes: a value that is a multiple of the column's unit and below the
 * width's largest number is stored as value / unit; any other value stores the largest number as an escape and goes
 * to a map. Pass 2 keeps each object's reference count (a byte: most objects hold a few references) and shallow size
 * (a char in 8-byte units: objects below 512 KiB) here instead of two int arrays, 5 bytes per object less at that
 * pass's peak; the few big arrays and reference-rich objects land in the map.
 *
 * <p>{@link #set} may be called by several threads for distinct nodes (a Java array's elements are independent; the
 * map is guarded). Paged ({@link Paging}): the node count may pass 2^31. Reads after the writers are done (a thread join orders them).
 */
public final class PackedColumn {
    private final BytePages bytes;
    private final CharPages chars;
    private final int unit;
    private final int escape;
    private final LongIntMap big = new LongIntMap(1024);

    private PackedColumn(long nodes, boolean wide, int unit) {
        this.bytes = wide ? null : new BytePages(nodes);
        this.chars = wide ? new CharPages(nodes) : null;
        this.unit = unit;
        this.escape = wide ? 0xffff : 0xff;
    }

    /** One byte per node, values as they are. */
    public static PackedColumn bytes(long nodes) {
        return new PackedColumn(nodes, false, 1);
    }

    /** Two bytes per node, values in multiples of {@code unit}. */
    public static PackedColumn chars(long nodes, int unit) {
        return new PackedColumn(nodes, true, Math.max(1, unit));
    }

    public void set(long node, int value) {
        int units = value % unit == 0 ? value / unit : escape;
        if (units >= escape || units < 0) {
            synchronized (big) {
                big.put(node + 1L, value);
            }
            units = escape;
        }
        if (bytes != null) {
            bytes.set(node, (byte) units);
        } else {
            chars.set(node, (char) units);
        }
    }

    public int get(long node) {
        int units = bytes != null ? bytes.get(node) & 0xff : chars.get(node);
        if (units == escape) {
            synchronized (big) {
                return big.get(node + 1L, 0);
            }
        }
        return units * unit;
    }

    public long length() {
        return bytes != null ? bytes.length() : chars.length();
    }

    /** How many values did not fit the array (for tests). */
    public int escaped() {
        synchronized (big) {
            return big.size();
        }
    }
}
