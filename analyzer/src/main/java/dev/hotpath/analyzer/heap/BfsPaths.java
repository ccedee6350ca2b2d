package dev.hotpath.analyzer.heap;

/**
 * Shortest path from the GC roots to every reachable object: one breadth-first search from the virtual root over
 * the reference graph, keeping each node's BFS parent. Immutable.
 */
public final class BfsPaths {
    private final int[] parent;

    private BfsPaths(int[] parent) {
        this.parent = parent;
    }

    static BfsPaths compute(HeapGraph g) {
        int n = g.nodes;
        int[] parent = new int[n];
        java.util.Arrays.fill(parent, -1);
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        queue[tail++] = 0;
        parent[0] = 0;
        while (head < tail) {
            int v = queue[head++];
            for (int e = g.edgeStart[v]; e <= g.edgeStart[v + 1]; e++) {
                int w = e < g.edgeStart[v + 1] ? g.edges[e] : g.classNode(v);
                if (w > 0 && parent[w] < 0) {
                    parent[w] = v;
                    queue[tail++] = w;
                }
            }
        }
        return new BfsPaths(parent);
    }

    /** BFS parent (0 for a GC root, -1 when unreachable). */
    public int parent(int node) {
        return parent[node];
    }

    /** The path from node up to (excluding) the virtual root: node first, the GC root last. Empty if unreachable. */
    public int[] pathToRoot(int node) {
        int len = 0;
        for (int v = node; v > 0 && parent[v] >= 0 && len <= parent.length; v = parent[v]) {
            len++;
        }
        if (node > 0 && parent[node] < 0) {
            return new int[0];
        }
        int[] out = new int[len];
        int i = 0;
        for (int v = node; v > 0; v = parent[v]) {
            out[i++] = v;
        }
        return out;
    }
}
