package dev.hotpath.analyzer.heap;

/**
 * Shortest paths from the GC roots: a breadth-first search from the virtual root over the reference graph, keeping
 * each node's BFS parent. The search is incremental: it runs only until the node asked about has been reached, since
 * reports ask for paths of a few big objects, which sit near the roots (a full search of a 37M-object graph costs
 * seconds). The parent of a reached node never changes afterwards, so answers do not depend on the order of the
 * questions. Not thread-safe.
 */
public final class BfsPaths {
    /** Parents live in pages of 2^12 nodes made on first write: a search that stops near the roots stays small. */
    private static final int PAGE_BITS = 12;
    private final HeapGraph g;
    private final int[][] parentPages;
    private int[] queue = new int[1024];
    private int head;
    private int tail;

    private BfsPaths(HeapGraph g) {
        this.g = g;
        this.parentPages = new int[(g.nodes >>> PAGE_BITS) + 1][];
        queue[tail++] = 0;
        setParent(0, 0);
    }

    private int parentOf(int v) {
        int[] page = parentPages[v >>> PAGE_BITS];
        return page == null ? -1 : page[v & ((1 << PAGE_BITS) - 1)];
    }

    private void setParent(int v, int p) {
        int[] page = parentPages[v >>> PAGE_BITS];
        if (page == null) {
            page = new int[1 << PAGE_BITS];
            java.util.Arrays.fill(page, -1);
            parentPages[v >>> PAGE_BITS] = page;
        }
        page[v & ((1 << PAGE_BITS) - 1)] = p;
    }

    static BfsPaths compute(HeapGraph g) {
        return new BfsPaths(g);
    }

    /** Expands the search until {@code node} is reached or the graph is exhausted. */
    private void reach(int node) {
        while (parentOf(node) < 0 && head < tail) {
            int v = queue[head++];
            long end = g.rowStart(v + 1);
            for (long e = g.rowStart(v); e <= end; e++) {
                int w = e < end ? g.edgeAt(e) : g.classNode(v);
                if (w > 0 && parentOf(w) < 0) {
                    setParent(w, v);
                    if (tail == queue.length) {
                        // the consumed head of the queue is dropped when it grows
                        int live = tail - head;
                        int[] q = live * 2 > queue.length ? new int[queue.length * 2] : queue;
                        System.arraycopy(queue, head, q, 0, live);
                        queue = q;
                        head = 0;
                        tail = live;
                    }
                    queue[tail++] = w;
                }
            }
        }
    }

    /** BFS parent (0 for a GC root, -1 when unreachable). */
    public int parent(int node) {
        reach(node);
        return parentOf(node);
    }

    /** The path from node up to (excluding) the virtual root: node first, the GC root last. Empty if unreachable. */
    public int[] pathToRoot(int node) {
        reach(node);
        if (node > 0 && parentOf(node) < 0) {
            return new int[0];
        }
        int len = 0;
        for (int v = node; v > 0 && len <= g.nodes; v = parentOf(v)) {
            len++;
        }
        int[] out = new int[len];
        int i = 0;
        for (int v = node; v > 0; v = parentOf(v)) {
            out[i++] = v;
        }
        return out;
    }
}
