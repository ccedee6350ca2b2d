package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.NodeArray;
import dev.hotpath.analyzer.heap.internal.SpillDir;
import dev.hotpath.analyzer.heap.internal.SpilledArray;

import java.io.IOException;

/**
 * Outbound references in compressed sparse row form: the targets of node {@code v} are
 * {@code edges[edgeStart[v] .. edgeStart[v+1])}. Node 0, the virtual root, points at every distinct GC root.
 * Every object also points at its class object (as MAT does, so a live instance keeps its class and class loader),
 * an edge kept implicit ({@link #classNode});
 * referents of {@code java.lang.ref.Reference} subclasses are left out. Nodes and edge offsets are longs, the arrays
 * paged {@link NodeArray}s: ints while the node count (targets) and the reference count (row starts) fit an int,
 * longs beyond, so a dump may hold more than 2^31 references.
 *
 * <p>The dominator step reads the arrays directly while they are in memory, then {@link #spill}s them to index files
 * (the reports read few rows); the accessors read through either. Not thread-safe once spilled (one block cache).
 */
public final class HeapGraph {
    final long nodes;
    NodeArray edgeStart;
    NodeArray edges;
    private final long edgeCount;
    private SpilledArray startFile;
    private SpilledArray edgeFile;
    private final HeapIndex index;
    private final long[] classNode;
    private final int classOfClass;

    HeapGraph(long nodes, NodeArray edgeStart, NodeArray edges, HeapIndex index, long[] classNode, int classOfClass) {
        this.nodes = nodes;
        this.edgeStart = edgeStart;
        this.edges = edges;
        this.edgeCount = edgeStart.get(nodes);
        this.index = index;
        this.classNode = classNode;
        this.classOfClass = classOfClass;
    }

    /**
     * The implicit edge from an object to its class object, or -1 (virtual root, class objects, pseudo-classes).
     * Not stored in the CSR: it would cost 4 bytes per object twice (successors and predecessors).
     */
    public long classNode(long node) {
        return node == 0 ? -1 : classNodeOf(index.cls.get(node));
    }

    /** {@link #classNode} from the node's class index (when the caller streams the class indexes). */
    long classNodeOf(int classIndex) {
        return classIndex == classOfClass ? -1 : classNode[classIndex];
    }

    /** Writes the rows to index files and drops the arrays. */
    void spill(SpillDir dir) throws IOException {
        if (edgeStart == null) {
            return;
        }
        startFile = dir.nodes("edge-start", edgeStart, nodes + 1L);
        edgeFile = dir.nodes("edges", edges, edgeCount);
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
    public long nodes() {
        return nodes;
    }

    public long edgeCount() {
        return edgeCount;
    }

    long rowStart(long node) {
        return edgeStart != null ? edgeStart.get(node) : startFile.get(node);
    }

    long edgeAt(long e) {
        return edges != null ? edges.get(e) : edgeFile.get(e);
    }

    /** Stored (explicit) references: non-null reference fields, array slots, statics, class loader. */
    public long outDegree(long node) {
        return rowStart(node + 1) - rowStart(node);
    }

    public long target(long node, long i) {
        return edgeAt(rowStart(node) + i);
    }
}
