package dev.hotpath.analyzer.heap;

/**
 * Shortest paths from the GC roots, the path a breadth-first search from the virtual root gives. Found backwards
 * over the dominator step's predecessor lists when they exist ({@link #backward}: small for the objects near the
 * roots that reports ask about), else by the forward search, which is incremental: it runs only until the node
 * asked about has been reached, keeping BFS parents in pages made on first write. Both give the same path
 * ({@code SyntheticHprofTest} pins one with a tie). Not thread-safe.
 */
public final class BfsPaths {
    /** Parents live in pages of 2^12 nodes made on first write: a search that stops near the roots stays small. */
    private static final int PAGE_BITS = 12;
    private final HeapGraph g;
    private final int[][] parentPages;
    private int[] queue = new int[1024];
    private int head;
    private int tail;

    private final Dominators.Predecessors predecessors;

    private BfsPaths(HeapGraph g, Dominators.Predecessors predecessors) {
        this.g = g;
        this.predecessors = predecessors;
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

    static BfsPaths compute(HeapGraph g, Dominators.Predecessors predecessors) {
        return new BfsPaths(g, predecessors);
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

    /** Nodes a backward search may queue before it gives way to the forward search. */
    static final int BACKWARD_BUDGET = 1 << 20;

    /**
     * The path the forward search would give, found backwards from the node over the dominator step's predecessor
     * lists (on file): reports ask about objects near the roots, whose backward search is small, while the forward
     * search from the roots may have to visit most of the heap first (and hold a parent per visited node). A
     * backward BFS gives each node met its distance to the node, up to the level of the nearest GC root; then a
     * walk from the roots picks, among the shortest paths, the one the forward BFS takes — the first root in the
     * virtual root's row at that distance, then at each step the first reference (in row order, the implicit class
     * edge last) one step closer — since a forward BFS's tree path is the lexicographically first shortest path.
     * Null when the search queued more than {@link #BACKWARD_BUDGET} nodes.
     */
    int[] backward(int node, Dominators.Predecessors p) {
        int t = p.dfnum().getInt(node);
        if (t < 0) {
            return new int[0];
        }
        // dist.get(x + 1): distance of DFS number x to the node
        dev.hotpath.analyzer.heap.internal.LongIntMap dist = new dev.hotpath.analyzer.heap.internal.LongIntMap(64);
        int[] q = new int[64];
        int head = 0;
        int tail = 0;
        q[tail++] = t;
        dist.put(t + 1L, 0);
        int found = -1;
        while (head < tail) {
            int x = q[head++];
            int dx = dist.get(x + 1L, -1);
            if (found >= 0) {
                break; // every node at the nearest root's level has been queued; their distances are final
            }
            long from = p.from(x);
            long to = p.to(x);
            if (to - from == 1 && p.preds().getInt(from) == 0) {
                found = dx; // a GC root (its only predecessor is the virtual root)
                continue;
            }
            for (long e = from; e < to; e++) {
                int y = p.preds().getInt(e);
                if (dist.get(y + 1L, -1) < 0) {
                    if (tail == BACKWARD_BUDGET) {
                        return null;
                    }
                    dist.put(y + 1L, dx + 1);
                    if (tail == q.length) {
                        q = java.util.Arrays.copyOf(q, tail * 2);
                    }
                    q[tail++] = y;
                }
            }
        }
        if (found < 0) {
            return new int[0];
        }
        int[] out = new int[found + 1];
        int cur = step(0, found, dist, p);
        out[found] = cur;
        for (int level = found - 1; level >= 0 && cur > 0; level--) {
            cur = step(cur, level, dist, p);
            out[level] = cur;
        }
        return cur > 0 ? out : null;
    }

    /** The first reference of v (row order, then the implicit class edge) to a node at the given distance. */
    private int step(int v, int level, dev.hotpath.analyzer.heap.internal.LongIntMap dist, Dominators.Predecessors p) {
        long end = g.rowStart(v + 1);
        for (long e = g.rowStart(v); e <= end; e++) {
            int x = e < end ? g.edgeAt(e) : g.classNode(v);
            if (x > 0) {
                int dx = p.dfnum().getInt(x);
                if (dx >= 0 && dist.get(dx + 1L, -1) == level) {
                    return x;
                }
            }
        }
        return -1;
    }

    /** The path from node up to (excluding) the virtual root: node first, the GC root last. Empty if unreachable. */
    public int[] pathToRoot(int node) {
        if (node > 0 && predecessors != null) {
            int[] path = backward(node, predecessors);
            if (path != null) {
                return path;
            }
        }
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
