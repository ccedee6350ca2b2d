package dev.hotpath.analyzer.heap;

/**
 * Shortest paths from the GC roots: a breadth-first search from the virtual root over the reference graph, keeping
 * each node's BFS parent. The search is incremental: it runs only until the node asked about has been reached, since
 * reports ask for paths of a few big objects, which sit near the roots (a full search of a 37M-object graph costs
 * seconds). The parent of a reached node never changes afterwards, so answers do not depend on the order of the
 * questions. Not thread-safe.
 */
public final class BfsPaths {
    private final HeapGraph g;
    private final int[] parent;
    private final int[] queue;
    private int head;
    private int tail;

    private BfsPaths(HeapGraph g) {
        this.g = g;
        this.parent = new int[g.nodes];
        java.util.Arrays.fill(parent, -1);
        this.queue = new int[g.nodes];
        queue[tail++] = 0;
        parent[0] = 0;
    }

    static BfsPaths compute(HeapGraph g) {
        return new BfsPaths(g);
    }

    /** Expands the search until {@code node} is reached or the graph is exhausted. */
    private void reach(int node) {
        int[] edgeStart = g.edgeStart;
        int[] edges = g.edges;
        while (parent[node] < 0 && head < tail) {
            int v = queue[head++];
            int end = edgeStart[v + 1];
            for (int e = edgeStart[v]; e <= end; e++) {
                int w = e < end ? edges[e] : g.classNode(v);
                if (w > 0 && parent[w] < 0) {
                    parent[w] = v;
                    queue[tail++] = w;
                }
            }
        }
    }

    /** BFS parent (0 for a GC root, -1 when unreachable). */
    public int parent(int node) {
        reach(node);
        return parent[node];
    }

    /** The path from node up to (excluding) the virtual root: node first, the GC root last. Empty if unreachable. */
    public int[] pathToRoot(int node) {
        reach(node);
        if (node > 0 && parent[node] < 0) {
            return new int[0];
        }
        int len = 0;
        for (int v = node; v > 0 && len <= parent.length; v = parent[v]) {
            len++;
        }
        int[] out = new int[len];
        int i = 0;
        for (int v = node; v > 0; v = parent[v]) {
            out[i++] = v;
        }
        return out;
    }
}
