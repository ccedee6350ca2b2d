package dev.hotpath.analyzer.heap.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A long-indexed array of 4- or 8-byte big-endian elements in an index file of a {@link SpillDir}. Random reads go
 * through a direct-mapped cache of small blocks (256 blocks of {@link #blockBytes}, 2 MiB at most), sequential reads in either
 * direction hit the cache too; the file itself stays in the page cache, which does not count toward the process's
 * resident memory as mapped pages would. {@link #readInts} loads it back into an int array when a phase needs it
 * whole.
 *
 * <p>Not thread-safe (one cache); {@code SpilledArrayTest} checks block boundaries with a small block size.
 */
public final class SpilledArray {
    static final int SLOTS = 256;
    /** Default block size in bytes: a random read copies this much from the page cache. */
    static final int BLOCK_BYTES = 1 << 13;

    private final FileChannel ch;
    private final int width;
    private final long length;
    private final int blockBytes;
    private final int blockShift;
    private final int widthShift;
    private final long[] tags = new long[SLOTS];
    private final ByteBuffer[] blocks = new ByteBuffer[SLOTS];

    SpilledArray(FileChannel ch, int width, long length, int blockBytes) {
        this.ch = ch;
        this.width = width;
        this.length = length;
        this.blockBytes = blockBytes;
        this.blockShift = Integer.numberOfTrailingZeros(blockBytes);
        this.widthShift = width == 4 ? 2 : 3;
        java.util.Arrays.fill(tags, -1);
    }

    /** Deletes the file (opened DELETE_ON_CLOSE) once a phase is done with it; further reads fail. */
    public void release() throws IOException {
        ch.close();
    }

    public long length() {
        return length;
    }

    public int blockBytes() {
        return blockBytes;
    }

    /** Element {@code i} (an int array's element sign-extended). */
    public long get(long i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("index " + i + " of " + length);
        }
        long byteOff = i << widthShift;
        long block = byteOff >>> blockShift;
        int slot = (int) (block & (SLOTS - 1));
        ByteBuffer b = blocks[slot];
        if (tags[slot] != block) {
            if (b == null) {
                b = ByteBuffer.allocate(blockBytes);
                blocks[slot] = b;
            }
            fill(b, block << blockShift);
            tags[slot] = block;
        }
        int at = (int) (byteOff & (blockBytes - 1));
        return width == 4 ? b.getInt(at) : b.getLong(at);
    }

    public int getInt(long i) {
        return (int) get(i);
    }

    private void fill(ByteBuffer b, long pos) {
        b.clear();
        long end = Math.min(pos + blockBytes, length * width);
        b.limit((int) (end - pos));
        try {
            long p = pos;
            while (b.hasRemaining()) {
                int r = ch.read(b, p);
                if (r < 0) {
                    throw new EOFException("index file ends at " + p);
                }
                p += r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The elements {@code [0, length)} as ints (4-byte arrays only), read sequentially into a fresh array. */
    public int[] readInts() throws IOException {
        if (width != 4 || length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("not an int array that fits a Java array: width " + width + ", length " + length);
        }
        int[] out = new int[(int) length];
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        long pos = 0;
        int at = 0;
        while (at < out.length) {
            b.clear();
            b.limit((int) Math.min(b.capacity(), (out.length - at) * 4L));
            while (b.hasRemaining()) {
                int r = ch.read(b, pos);
                if (r < 0) {
                    throw new EOFException("index file ends at " + pos);
                }
                pos += r;
            }
            b.flip();
            int k = b.remaining() / 4;
            b.asIntBuffer().get(out, at, k);
            at += k;
        }
        return out;
    }

    /** The whole file back in memory as a paged array of its width (ints for 4-byte files). */
    public NodeArray read() throws IOException {
        if (width == 4) {
            // page by page, in bulk (a per-element copy costs the dominator step a second on the benchmark dump)
            IntPages out = new IntPages(length);
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            long pos = 0;
            for (int k = 0; k < out.pageCount(); k++) {
                int[] page = out.pageAt(k);
                int at = 0;
                while (at < page.length) {
                    b.clear();
                    b.limit((int) Math.min(b.capacity(), (page.length - at) * 4L));
                    while (b.hasRemaining()) {
                        int r = ch.read(b, pos);
                        if (r < 0) {
                            throw new EOFException("index file ends at " + pos);
                        }
                        pos += r;
                    }
                    b.flip();
                    int n = b.remaining() / 4;
                    b.asIntBuffer().get(page, at, n);
                    at += n;
                }
            }
            return out;
        }
        LongPages out = new LongPages(length);
        Window in = window();
        for (long i = 0; i < length; i++) {
            out.set(i, in.get(i));
        }
        return out;
    }

    /** A reader for runs of neighbouring indexes; see {@link Window}. */
    public Window window() {
        return new Window();
    }

    /**
     * Reads 2^16 elements at a time into an array, for the phases that walk an index file in order: ascending, or
     * descending (a read just below the window loads the 2^16 elements below it, so that a descending walk over rows
     * read upwards inside each row stays in the window). Costs an array load per element instead of a cache lookup.
     * A 4-byte file is read into ints (sign-extended by {@link #get}), an 8-byte one into longs. Not thread-safe.
     */
    public final class Window {
        private static final int SIZE = 1 << 16;
        private final int[] ints = width == 4 ? new int[SIZE] : null;
        private final long[] longs = width == 8 ? new long[SIZE] : null;
        private final ByteBuffer bytes = ByteBuffer.allocate(SIZE * width);
        private long lo;
        private long hi;

        public long get(long i) {
            if (i < lo || i >= hi) {
                load(i);
            }
            return ints != null ? ints[(int) (i - lo)] : longs[(int) (i - lo)];
        }

        private void load(long i) {
            if (i < 0 || i >= length) {
                throw new IndexOutOfBoundsException("index " + i + " of " + length);
            }
            long start = i < lo && i >= lo - SIZE ? Math.max(0, lo - SIZE) : i;
            long end = Math.min(length, start + SIZE);
            bytes.clear().limit((int) ((end - start) * width));
            long pos = start * width;
            try {
                while (bytes.hasRemaining()) {
                    int r = ch.read(bytes, pos);
                    if (r < 0) {
                        throw new EOFException("index file ends at " + pos);
                    }
                    pos += r;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes.flip();
            if (ints != null) {
                bytes.asIntBuffer().get(ints, 0, (int) (end - start));
            } else {
                bytes.asLongBuffer().get(longs, 0, (int) (end - start));
            }
            lo = start;
            hi = end;
        }
    }

    /** Appends elements through a 1 MiB buffer. Not thread-safe. */
    public static final class Writer {
        private final FileChannel ch;
        private final int width;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        private long count;
        private long pos;

        private final int blockBytes;

        Writer(FileChannel ch, int width, int blockBytes) {
            this.ch = ch;
            this.width = width;
            this.blockBytes = blockBytes;
        }

        public void add(long v) throws IOException {
            if (buf.remaining() < width) {
                flush();
            }
            if (width == 4) {
                buf.putInt((int) v);
            } else {
                buf.putLong(v);
            }
            count++;
        }

        void addAll(int[] a, int len) throws IOException {
            addAll(a, 0, len);
        }

        /** Appends {@code a[from .. to)}. */
        public void addAll(int[] a, int from, int to) throws IOException {
            if (width != 4) {
                throw new IllegalStateException("int elements into a " + width + "-byte array");
            }
            int at = from;
            int len = to;
            while (at < len) {
                if (buf.remaining() < 4) {
                    flush();
                }
                int k = Math.min(len - at, buf.remaining() / 4);
                buf.asIntBuffer().put(a, at, k);
                buf.position(buf.position() + k * 4);
                at += k;
                count += k;
            }
        }

        /** Appends {@code a[from .. to)} (ints page by page into a 4-byte file; longs one by one). */
        public void addAll(NodeArray a, long from, long to) throws IOException {
            if (a instanceof IntPages ints && width == 4) {
                int bits = ints.pageBits();
                long i = from;
                while (i < to) {
                    int k = (int) (i >>> bits);
                    int off = (int) (i - ((long) k << bits));
                    int[] page = ints.pageAt(k);
                    long pageEnd = Math.min(to, ((long) k + 1) << bits);
                    int n = (int) (pageEnd - i);
                    if (page == null) {
                        for (int j = 0; j < n; j++) {
                            add(ints.getInt(i + j));
                        }
                    } else {
                        addAll(page, off, off + n);
                    }
                    i = pageEnd;
                }
                return;
            }
            for (long i = from; i < to; i++) {
                add(a.get(i));
            }
        }

        private void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            buf.clear();
        }

        public long count() {
            return count;
        }

        public SpilledArray finish() throws IOException {
            flush();
            return new SpilledArray(ch, width, count, blockBytes);
        }
    }
}
