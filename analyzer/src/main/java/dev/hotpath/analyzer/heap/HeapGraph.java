package dev.hotpath.analyzer.heap;

/**
 * Outbound references in compressed sparse row form: the targets of node {@code v} are
 * {@code edges[edgeStart[v] .. edgeStart[v+1])}. Node 0, the virtual root, points at every distinct GC root.
 * Every object also points at its class object (as MAT does, so a live instance keeps its class and class loader);
 * referents of {@code java.lang.ref.Reference} subclasses are left out. Edge offsets are ints: a dump with more than
 * 2^31-1 references is refused by {@link GraphBuilder}. Immutable.
 */
public final class HeapGraph {
    final int nodes;
    final int[] edgeStart;
    final int[] edges;

    HeapGraph(int nodes, int[] edgeStart, int[] edges) {
        this.nodes = nodes;
        this.edgeStart = edgeStart;
        this.edges = edges;
    }

    /** Node count including the virtual root. */
    public int nodes() {
        return nodes;
    }

    public int edgeCount() {
        return edgeStart[nodes];
    }

    public int outDegree(int node) {
        return edgeStart[node + 1] - edgeStart[node];
    }

    public int target(int node, int i) {
        return edges[edgeStart[node] + i];
    }
}
