package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.SpillDir;
import dev.hotpath.analyzer.heap.internal.SpilledArray;

import java.io.IOException;

/**
 * Outbound references in compressed sparse row form: the targets of node {@code v} are
 * {@code edges[edgeStart[v] .. edgeStart[v+1])}. Node 0, the virtual root, points at every distinct GC root.
 * Every object also points at its class object (as MAT does, so a live instance keeps its class and class loader),
 * an edge kept implicit ({@link #classNode});
 * referents of {@code java.lang.ref.Reference} subclasses are left out. Edge offsets are ints: a dump with more than
 * 2^31-1 references is refused by {@link GraphBuilder}.
 *
 * <p>The dominator step reads the arrays directly while they are in memory, then {@link #spill}s them to index files
 * (the reports read few rows); the accessors read through either. Not thread-safe once spilled (one block cache).
 */
public final class HeapGraph {
    final int nodes;
    int[] edgeStart;
    int[] edges;
    private final long edgeCount;
    private SpilledArray startFile;
    private SpilledArray edgeFile;
    private final HeapIndex index;
    private final int[] classNode;
    private final int classOfClass;

    HeapGraph(int nodes, int[] edgeStart, int[] edges, HeapIndex index, int[] classNode, int classOfClass) {
        this.nodes = nodes;
        this.edgeStart = edgeStart;
        this.edges = edges;
        this.edgeCount = edgeStart[nodes];
        this.index = index;
        this.classNode = classNode;
        this.classOfClass = classOfClass;
    }

    /**
     * The implicit edge from an object to its class object, or -1 (virtual root, class objects, pseudo-classes).
     * Not stored in the CSR: it would cost 4 bytes per object twice (successors and predecessors).
     */
    public int classNode(int node) {
        return node == 0 ? -1 : classNodeOf(index.cls.get(node));
    }

    /** {@link #classNode} from the node's class index (when the caller streams the class indexes). */
    int classNodeOf(int classIndex) {
        return classIndex == classOfClass ? -1 : classNode[classIndex];
    }

    /** Writes the rows to index files and drops the arrays. */
    void spill(SpillDir dir) throws IOException {
        if (edgeStart == null) {
            return;
        }
        startFile = dir.ints("edge-start", edgeStart, nodes + 1L);
        edgeFile = dir.ints("edges", edges, edgeCount);
        edgeStart = null;
        edges = null;
    }

    /** The row starts' index file, once spilled. */
    SpilledArray startFile() {
        return startFile;
    }

    SpilledArray edgeFile() {
        return edgeFile;
    }

    /** Node count including the virtual root. */
    public int nodes() {
        return nodes;
    }

    public long edgeCount() {
        return edgeCount;
    }

    long rowStart(int node) {
        return edgeStart != null ? edgeStart[node] : startFile.get(node);
    }

    int edgeAt(long e) {
        return edges != null ? edges[(int) e] : edgeFile.getInt(e);
    }

    /** Stored (explicit) references: non-null reference fields, array slots, statics, class loader. */
    public int outDegree(int node) {
        return (int) (rowStart(node + 1) - rowStart(node));
    }

    public int target(int node, int i) {
        return edgeAt(rowStart(node) + i);
    }
}
