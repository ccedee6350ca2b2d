package dev.hotpath.analyzer.heap.internal;

/**
 * A stack of longs in chunks of 2^16 (no copy on growth, no limit at 2^31 entries): the depth-first walks over the
 * object graph and the dominator tree, whose depth is bounded only by the object count (a linked list of 3 billion
 * nodes). The top entries are read and written in place ({@link #peek}, {@link #setPeek}): a walk keeps a frame of
 * a few longs per level. {@link #push} and {@link #pop} are a few bytecodes, so that the JIT inlines them into the
 * dominator step's path compression. Not thread-safe.
 */
public final class LongStack {
    private static final int BITS = 16;
    private static final int CHUNK = 1 << BITS;
    private long[][] chunks = new long[4][];
    private long[] top;
    private int topChunk;
    /** Entries in the top chunk (0 only when the stack is empty or a drop emptied the top chunk). */
    private int pos;

    public LongStack() {
        top = new long[CHUNK];
        chunks[0] = top;
    }

    public long size() {
        return ((long) topChunk << BITS) + pos;
    }

    public boolean isEmpty() {
        return pos == 0 && topChunk == 0;
    }

    public void push(long v) {
        if (pos == CHUNK) {
            up();
        }
        top[pos++] = v;
    }

    private void up() {
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

    public long pop() {
        if (pos == 0) {
            down();
        }
        return top[--pos];
    }

    private void down() {
        topChunk--;
        top = chunks[topChunk];
        pos = CHUNK;
    }

    /** The entry {@code depth} below the top (0 = the top). */
    public long peek(int depth) {
        if (depth < pos) {
            return top[pos - 1 - depth];
        }
        long at = size() - 1 - depth;
        return chunks[(int) (at >>> BITS)][(int) at & (CHUNK - 1)];
    }

    public void setPeek(int depth, long v) {
        if (depth < pos) {
            top[pos - 1 - depth] = v;
            return;
        }
        long at = size() - 1 - depth;
        chunks[(int) (at >>> BITS)][(int) at & (CHUNK - 1)] = v;
    }

    /** Removes n entries. */
    public void drop(int n) {
        if (n <= pos) {
            pos -= n;
            return;
        }
        long size = size() - n;
        topChunk = size == 0 ? 0 : (int) ((size - 1) >>> BITS);
        top = chunks[topChunk];
        pos = (int) (size - ((long) topChunk << BITS));
    }
}
