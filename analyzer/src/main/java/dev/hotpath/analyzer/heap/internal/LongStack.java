package dev.hotpath.analyzer.heap.internal;

/**
 * A stack of longs in chunks of 2^16 (no copy on growth, no limit at 2^31 entries): the depth-first walks over the
 * object graph and the dominator tree, whose depth is bounded only by the object count (a linked list of 3 billion
 * nodes). The top entries are read and written in place ({@link #peek}, {@link #setPeek}): a walk keeps a frame of
 * a few longs per level. Not thread-safe.
 */
public final class LongStack {
    private static final int BITS = 16;
    private static final int CHUNK = 1 << BITS;
    private long[][] chunks = new long[4][];
    private long[] top;
    private int topChunk;
    private int pos;
    private long size;

    public LongStack() {
        top = new long[CHUNK];
        chunks[0] = top;
    }

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void push(long v) {
        if (pos == CHUNK) {
            topChunk++;
            if (topChunk == chunks.length) {
                chunks = java.util.Arrays.copyOf(chunks, chunks.length * 2);
            }
            if (chunks[topChunk] == null) {
                chunks[topChunk] = new long[CHUNK];
            }
            top = chunks[topChunk];
            pos = 0;
        }
        top[pos++] = v;
        size++;
    }

    public long pop() {
        long v = peek(0);
        drop(1);
        return v;
    }

    /** The entry {@code depth} below the top (0 = the top). */
    public long peek(int depth) {
        if (depth < pos) {
            return top[pos - 1 - depth];
        }
        long at = size - 1 - depth;
        return chunks[(int) (at >>> BITS)][(int) at & (CHUNK - 1)];
    }

    public void setPeek(int depth, long v) {
        if (depth < pos) {
            top[pos - 1 - depth] = v;
            return;
        }
        long at = size - 1 - depth;
        chunks[(int) (at >>> BITS)][(int) at & (CHUNK - 1)] = v;
    }

    /** Removes n entries. */
    public void drop(int n) {
        size -= n;
        topChunk = size == 0 ? 0 : (int) ((size - 1) >>> BITS);
        top = chunks[topChunk];
        pos = (int) (size - ((long) topChunk << BITS));
    }
}
