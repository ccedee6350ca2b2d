package dev.hotpath.analyzer.heap;

/**
 * Outbound references in compressed sparse row form: the targets of node {@code v} are
 * {@code edges[edgeStart[v] .. edgeStart[v+1])}. Node 0, the virtual root, points at every distinct GC root.
 * Every object also points at its class object (as MAT does, so a live instance keeps its class and class loader),
 * an edge kept implicit ({@link #classNode});
 * referents of {@code java.lang.ref.Reference} subclasses are left out. Edge offsets are ints: a dump with more than
 * 2^31-1 references is refused by {@link GraphBuilder}. Immutable.
 */
public final class HeapGraph {
    final int nodes;
    final int[] edgeStart;
    final int[] edges;
    private final int[] cls;
    private final int[] classNode;
    private final int classOfClass;

    HeapGraph(int nodes, int[] edgeStart, int[] edges, int[] cls, int[] classNode, int classOfClass) {
        this.nodes = nodes;
        this.edgeStart = edgeStart;
        this.edges = edges;
        this.cls = cls;
        this.classNode = classNode;
        this.classOfClass = classOfClass;
    }

    /**
     * The implicit edge from an object to its class object, or -1 (virtual root, class objects, pseudo-classes).
     * Not stored in the CSR: it would cost 4 bytes per object twice (successors and predecessors).
     */
    public int classNode(int node) {
        if (node == 0 || cls[node] == classOfClass) {
            return -1;
        }
        return classNode[cls[node]];
    }

    /** Node count including the virtual root. */
    public int nodes() {
        return nodes;
    }

    public int edgeCount() {
        return edgeStart[nodes];
    }

    /** Stored (explicit) references: non-null reference fields, array slots, statics, class loader. */
    public int outDegree(int node) {
        return edgeStart[node + 1] - edgeStart[node];
    }

    public int target(int node, int i) {
        return edges[edgeStart[node] + i];
    }
}
