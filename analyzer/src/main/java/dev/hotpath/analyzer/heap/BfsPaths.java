package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.NodeArray;

/**
 * Shortest paths from the GC roots, the path a breadth-first search from the virtual root gives. Found backwards
 * over the dominator step's predecessor lists when they exist ({@link #backward}: small for the objects near the
 * roots that reports ask about), else by the forward search, which is incremental: it runs only until the node
 * asked about has been reached, keeping BFS parents in pages made on first write. Both give the same path
 * ({@code SyntheticHprofTest} pins one with a tie). Not thread-safe.
 */
public final class BfsPaths {
    /**
     * Parents live in pages of 2^12 nodes made on first write: a search that stops near the roots stays small. The
     * queue too (each node enters it once, so it is as long as the graph, pages made as the tail reaches them).
     */
    private static final int PAGE_BITS = 12;
    private final HeapGraph g;
    private final NodeArray parents;
    private final NodeArray queue;
    private long head;
    private long tail;

    private final Dominators.Predecessors predecessors;

    private BfsPaths(HeapGraph g, Dominators.Predecessors predecessors) {
        this.g = g;
        this.predecessors = predecessors;
        this.parents = NodeArray.of(g.nodes, g.nodes, -1, true, PAGE_BITS);
        this.queue = NodeArray.of(g.nodes + 1, g.nodes, 0, true, PAGE_BITS);
        queue.set(tail++, 0);
        setParent(0, 0);
    }

    private long parentOf(long v) {
        return parents.get(v);
    }

    private void setParent(long v, long p) {
        parents.set(v, p);
    }

    static BfsPaths compute(HeapGraph g, Dominators.Predecessors predecessors) {
        return new BfsPaths(g, predecessors);
    }

    /** Expands the search until {@code node} is reached or the graph is exhausted. */
    private void reach(long node) {
        while (parentOf(node) < 0 && head < tail) {
            long v = queue.get(head++);
            if ((head & ((1 << PAGE_BITS) - 1)) == 0) {
                queue.releaseBelow(head); // the consumed head's pages
            }
            long end = g.rowStart(v + 1);
            for (long e = g.rowStart(v); e <= end; e++) {
                long w = e < end ? g.edgeAt(e) : g.classNode(v);
                if (w > 0 && parentOf(w) < 0) {
                    setParent(w, v);
                    queue.set(tail++, w);
                }
            }
        }
    }

    /** BFS parent (0 for a GC root, -1 when unreachable). */
    public long parent(long node) {
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
    long[] backward(long node, Dominators.Predecessors p) {
        long t = p.dfnum().get(node);
        if (t < 0) {
            return new long[0];
        }
        // dist.get(x + 1): distance of DFS number x to the node
        dev.hotpath.analyzer.heap.internal.LongIntMap dist = new dev.hotpath.analyzer.heap.internal.LongIntMap(64);
        long[] q = new long[64];
        int head = 0;
        int tail = 0;
        q[tail++] = t;
        dist.put(t + 1L, 0);
        int found = -1;
        while (head < tail) {
            long x = q[head++];
            int dx = dist.get(x + 1L, -1);
            if (found >= 0) {
                break; // every node at the nearest root's level has been queued; their distances are final
            }
            long from = p.from(x);
            long to = p.to(x);
            if (to - from == 1 && p.preds().get(from) == 0) {
                found = dx; // a GC root (its only predecessor is the virtual root)
                continue;
            }
            for (long e = from; e < to; e++) {
                long y = p.preds().get(e);
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
            return new long[0];
        }
        long[] out = new long[found + 1];
        long cur = step(0, found, dist, p);
        out[found] = cur;
        for (int level = found - 1; level >= 0 && cur > 0; level--) {
            cur = step(cur, level, dist, p);
            out[level] = cur;
        }
        return cur > 0 ? out : null;
    }

    /** The first reference of v (row order, then the implicit class edge) to a node at the given distance. */
    private long step(long v, int level, dev.hotpath.analyzer.heap.internal.LongIntMap dist, Dominators.Predecessors p) {
        long end = g.rowStart(v + 1);
        for (long e = g.rowStart(v); e <= end; e++) {
            long x = e < end ? g.edgeAt(e) : g.classNode(v);
            if (x > 0) {
                long dx = p.dfnum().get(x);
                if (dx >= 0 && dist.get(dx + 1L, -1) == level) {
                    return x;
                }
            }
        }
        return -1;
    }

    /** The path from node up to (excluding) the virtual root: node first, the GC root last. Empty if unreachable. */
    public long[] pathToRoot(long node) {
        if (node > 0 && predecessors != null) {
            long[] path = backward(node, predecessors);
            if (path != null) {
                return path;
            }
        }
        reach(node);
        if (node > 0 && parentOf(node) < 0) {
            return new long[0];
        }
        int len = 0;
        for (long v = node; v > 0 && len <= g.nodes; v = parentOf(v)) {
            len++;
        }
        long[] out = new long[len];
        int i = 0;
        for (long v = node; v > 0; v = parentOf(v)) {
            out[i++] = v;
        }
        return out;
    }
}
