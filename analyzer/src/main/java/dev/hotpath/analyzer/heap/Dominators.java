package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.SpillDir;
import dev.hotpath.analyzer.heap.internal.SpilledArray;

import java.io.IOException;

/**
 * Immediate dominators and retained sizes over a {@link HeapGraph}, rooted at the virtual root (node 0).
 *
 * <p>Semi-NCA (Georgiadis' variant of Lengauer–Tarjan): an iterative depth-first numbering, semidominators with
 * path-compressed {@code eval} (no recursion: compress walks an explicit stack), then each idom is the nearest common
 * ancestor of the DFS parent and the semidominator in the partly built tree. Working arrays are int per node;
 * predecessor lists are a second CSR built from the first. Retained size of v = shallow(v) + retained of the nodes
 * v immediately dominates, summed in reverse DFS order (a dominator always precedes what it dominates).
 *
 * <p>Objects not reachable from a GC root over the graph's edges (e.g. only through a weak referent) get idom -1
 * and retained 0. Immutable once computed.
 */
public final class Dominators {
    /** Immediate dominator (a node) by DFS number; {@link #idom} maps a node through its DFS number. */
    private final SpilledArray idom;
    final Retained retained;
    /** Nodes in DFS preorder (reachable ones only); reachable count = {@code order.length}. */
    final int reachable;
    // dominator tree children in CSR form
    final int[] childStart;
    final int[] children;

    /**
     * The predecessor lists in DFS-number space as the dominator step left them on file (row w at
     * {@code rows[w + 1] .. rows[w + 2]}, the last row ending at {@code total}); a GC root's only predecessor is 0.
     */
    record Predecessors(SpilledArray dfnum, SpilledArray vertex, SpilledArray rows, SpilledArray preds, int count,
                        long total) {
        long from(int w) {
            return rows.getInt(w + 1);
        }

        long to(int w) {
            return w + 1 < count ? rows.getInt(w + 2) : total;
        }
    }

    final Predecessors predecessors;

    private Dominators(SpilledArray idom, Retained retained, int reachable, int[] childStart, int[] children,
                       Predecessors predecessors) {
        this.predecessors = predecessors;
        this.idom = idom;
        this.retained = retained;
        this.reachable = reachable;
        this.childStart = childStart;
        this.children = children;
    }

    public int idom(int node) {
        int w = node <= 0 ? -1 : predecessors.dfnum().getInt(node);
        return w <= 0 ? -1 : idom.getInt(w);
    }

    public long retained(int node) {
        return retained.get(node);
    }

    public int reachableCount() {
        return reachable;
    }

    public int childCount(int node) {
        return childStart[node + 1] - childStart[node];
    }

    public int child(int node, int i) {
        return children[childStart[node] + i];
    }

    static Dominators compute(HeapGraph g, HeapIndex index, SpillDir spill) throws IOException {
        int n = g.nodes;
        HeapAnalysis.Timer timer = new HeapAnalysis.Timer();
        int[] edgeStart = g.edgeStart;
        int[] edges = g.edges;
        // the class column (a char per node, usually) stays for the DFS, which reads each node's class once for the
        // implicit edge to its class object; a copy goes to its index file for the passes after, and comes back at
        // the end
        SpilledArray clsFile = index.cls.write(spill, "class");
        // the DFS itself needs only a visited bit per node: each stack entry carries its own DFS number (the parent
        // number a child records), and node -> DFS number is filled from the vertex file once the graph's arrays are
        // gone, so the DFS's peak holds no int per node beyond the graph's own
        long[] visited = new long[(n >>> 6) + 1];
        // GC roots (children of the virtual root) are dominated by the root whatever else points at them, so only the
        // root's edge to them is kept as a predecessor: this drops the millions of implicit edges to system classes
        long[] rootChild = new long[(n + 63) >>> 6];
        for (int e = edgeStart[0]; e < edgeStart[1]; e++) {
            rootChild[edges[e] >>> 6] |= 1L << edges[e];
        }
        // the DFS numbering (vertex: DFS number -> node) and the DFS tree (parent, in DFS numbers) are produced and
        // consumed in DFS-number order: they go to index files instead of two more int arrays
        SpilledArray.Writer vertexOut = spill.writer("dfs-vertex", 4);
        SpilledArray.Writer parentOut = spill.writer("dfs-parent", 4);
        // iterative DFS with an explicit stack (node, its DFS number, next-edge cursor) that grows with the depth
        int[] stackNode = new int[1024];
        int[] stackNum = new int[1024];
        int[] stackEdge = new int[1024];
        int count = 0;
        stackNode[0] = 0;
        stackNum[0] = count++;
        stackEdge[0] = edgeStart[0];
        visited[0] |= 1L;
        vertexOut.add(0);
        parentOut.add(0);
        int sp = 1;
        while (sp > 0) {
            int v = stackNode[sp - 1];
            int e = stackEdge[sp - 1];
            int rowEnd = edgeStart[v + 1];
            if (e <= rowEnd) {
                stackEdge[sp - 1] = e + 1;
                // the position one past the row is the implicit edge to the object's class
                int w = e < rowEnd ? edges[e] : v == 0 ? -1 : g.classNodeOf(index.cls.get(v));
                if (w > 0 && (visited[w >>> 6] & 1L << w) == 0) {
                    visited[w >>> 6] |= 1L << w;
                    vertexOut.add(w);
                    parentOut.add(stackNum[sp - 1]);
                    if (sp == stackNode.length) {
                        stackNode = java.util.Arrays.copyOf(stackNode, sp * 2);
                        stackNum = java.util.Arrays.copyOf(stackNum, sp * 2);
                        stackEdge = java.util.Arrays.copyOf(stackEdge, sp * 2);
                    }
                    stackNode[sp] = w;
                    stackNum[sp] = count++;
                    stackEdge[sp] = edgeStart[w];
                    sp++;
                }
            } else {
                sp--;
            }
        }
        stackNode = null;
        stackNum = null;
        stackEdge = null;
        visited = null;
        SpilledArray vertexFile = vertexOut.finish();
        SpilledArray parentFile = parentOut.finish();
        timer.lap("dom: dfs");
        // the passes below read rows and classes in node order: from their index files (sequentially, through
        // windows), their arrays dropped, so the peak stays the DFS's
        index.cls = null;
        edgeStart = null;
        edges = null;
        g.spill(spill);
        HeapAnalysis.collect(n);
        int[] dfnum = new int[n];
        java.util.Arrays.fill(dfnum, -1);
        SpilledArray.Window vertexIn0 = vertexFile.window();
        for (int w = 0; w < count; w++) {
            dfnum[vertexIn0.get(w)] = w;
        }
        vertexIn0 = null;
        timer.lap("dom: spill graph, " + g.edgeCount() + " edges");
        // predecessors in DFS-number space, reachable nodes only (edges into the root, number 0, are not kept):
        // counted in one pass, then filled backwards from each row's end, so that predStart itself is the cursor:
        // afterwards row w starts at predStart[w + 1] and ends at predStart[w + 2] (the last row at the total).
        // The fill goes in chunks of consecutive rows, each one more pass over the graph's file into one buffer that
        // is appended to the predecessors' file: the lists (4 bytes per predecessor, about twice the objects) never
        // sit in memory whole, so this step's peak stays below the DFS's
        int[] predStart = new int[n + 1];
        predecessors(g, clsFile, dfnum, rootChild, predStart, null, 0, 0, 0);
        predStart[1] = 0;
        for (int i = 0; i < count; i++) {
            predStart[i + 1] += predStart[i];
        }
        int predTotal = predStart[count];
        // rows [lo, hi) occupy [predStart[lo], predStart[hi]) until the fill moves the cursors: cut them all first
        // at most 1.5 ints per object in one chunk (about the DFS's peak), spread evenly over as few chunks as that takes
        long budget = Math.max(1, Long.getLong("hotpath.heap.predChunk", Math.max(1L << 16, n * 3L / 2)));
        long chunkInts = -Math.floorDiv(-predTotal, Math.max(1, -Math.floorDiv(-predTotal, budget)));
        int[] cuts = new int[16];
        int chunks = 0;
        int biggest = 0;
        cuts[0] = 1;
        for (int lo = 1; lo < count; ) {
            int hi = lo + 1;
            while (hi < count && predStart[hi + 1] - (long) predStart[lo] <= chunkInts) {
                hi++;
            }
            biggest = Math.max(biggest, predStart[hi] - predStart[lo]);
            if (chunks + 2 >= cuts.length) {
                cuts = java.util.Arrays.copyOf(cuts, cuts.length * 2);
            }
            cuts[++chunks] = hi;
            lo = hi;
        }
        int[] bases = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++) {
            bases[c] = predStart[cuts[c]];
        }
        SpilledArray.Writer predOut = spill.writer("preds", 4);
        int[] preds = new int[biggest];
        for (int c = 0; c < chunks; c++) {
            predecessors(g, clsFile, dfnum, rootChild, predStart, preds, cuts[c], cuts[c + 1], bases[c]);
            predOut.addAll(preds, 0, bases[c + 1] - bases[c]);
        }
        preds = null;
        SpilledArray predFile = predOut.finish();
        timer.lap("dom: preds " + predTotal + " in " + chunks + " chunk(s)");
        rootChild = null;
        // node -> DFS number stays on file with the predecessor lists: paths to GC roots search backwards over them
        SpilledArray dfnumFile = spill.ints("dfnum", dfnum, n);
        dfnum = null;
        // the semidominator loop reads predecessors and DFS parents once, in descending DFS order: from files
        SpilledArray predRows = spill.ints("pred-start", predStart, count + 1L);
        predStart = null;
        HeapAnalysis.collect(n);
        timer.lap("dom: spill");
        int[] ancestor = new int[count];
        int[] semi = new int[count];
        int[] label = new int[count];
        for (int i = 0; i < count; i++) {
            semi[i] = i;
            label[i] = i;
            ancestor[i] = -1;
        }
        int[] stack = new int[64];
        SpilledArray.Window rowsIn = predRows.window();
        SpilledArray.Window predsIn = predFile.window();
        SpilledArray.Window parentsIn = parentFile.window();
        for (int w = count - 1; w > 0; w--) {
            int s = semi[w];
            long from = rowsIn.get(w + 1);
            long to = w + 1 < count ? rowsIn.get(w + 2) : predTotal;
            for (long p = from; p < to; p++) {
                int v = predsIn.get(p);
                int u;
                if (ancestor[v] < 0) {
                    u = v;
                } else {
                    stack = compress(v, ancestor, label, semi, stack);
                    u = label[v];
                }
                if (semi[u] < s) {
                    s = semi[u];
                }
            }
            semi[w] = s;
            ancestor[w] = parentsIn.get(w);
        }
        timer.lap("dom: semi");
        label = null;
        // idom by NCA in the partial tree, reusing ancestor as idom (dfs numbers)
        int[] dom = ancestor;
        dom[0] = 0;
        parentsIn = parentFile.window();
        for (int w = 1; w < count; w++) {
            int x = parentsIn.get(w);
            while (x > semi[w]) {
                x = dom[x];
            }
            dom[w] = x;
        }
        semi = null;
        parentFile.release();
        timer.lap("dom: nca");
        HeapAnalysis.collect(n);
        int[] vertex = vertexFile.readInts();
        // retained sizes in node space: every node's shallow size in node order, then each reachable node adds its
        // retained size to its idom's, dominated nodes first (reverse DFS order); unreachable nodes are zeroed below.
        // Every shallow size is a multiple of 8 (SizeModel aligns objects): below 16 GiB in all, 8-byte units fit ints
        Retained retained = Retained.of(n, index.totalShallow, index.sizes.alignBytes());
        SpilledArray.Window shallowIn = index.shallowFile == null ? null : index.shallowFile.window();
        for (int v = 1; v < n; v++) {
            retained.set(v, shallowIn == null ? index.shallow(v) : shallowIn.get(v));
        }
        for (int w = count - 1; w > 0; w--) {
            retained.add(vertex[dom[w]], retained.get(vertex[w]));
        }
        // idoms as nodes, still indexed by DFS number (in place: dom[w] is read once, before it is written)
        for (int w = 1; w < count; w++) {
            dom[w] = vertex[dom[w]];
        }
        vertex = null;
        SpilledArray.Window dfnumIn = dfnumFile.window();
        for (int v = 1; v < n; v++) {
            if (dfnumIn.get(v) < 0) {
                retained.set(v, 0);
            }
        }
        HeapAnalysis.collect(n);
        // dominator tree children in CSR form, in DFS order within a row (keeps siblings deterministic): counts,
        // inclusive prefix sums (row ends), then filled backwards in reverse DFS order (the DFS order and the idoms
        // are read back from their files) so that childStart[d] ends at row d's start. No node-indexed idom array:
        // idom(node) = the idom file at the node's DFS number, for the few walks up the tree the reports make
        int[] childStart = new int[n + 1];
        for (int w = 1; w < count; w++) {
            childStart[dom[w]]++;
        }
        for (int i = 1; i < n; i++) {
            childStart[i] += childStart[i - 1];
        }
        childStart[n] = Math.max(0, count - 1);
        SpilledArray idomFile = spill.ints("idom", dom, count);
        // the children take the idom array's place (the fill reads the idoms back from their file): a fresh array
        // here would be allocated while the old one is still garbage, and the collector grows the heap for it
        int[] children = dom;
        dom = null;
        SpilledArray.Window vertexIn = vertexFile.window();
        SpilledArray.Window idomIn = idomFile.window();
        for (int w = count - 1; w > 0; w--) {
            children[--childStart[idomIn.get(w)]] = vertexIn.get(w);
        }
        index.cls = dev.hotpath.analyzer.heap.internal.ClassColumn.read(clsFile, index.classes.length);
        clsFile.release();
        timer.lap("dom: tree");
        return new Dominators(idomFile, retained, count, childStart, children,
                new Predecessors(dfnumFile, vertexFile, predRows, predFile, count, predTotal));
    }

    /**
     * One pass over the rows in node order: counts each reachable node's predecessors into {@code predStart[w + 1]}
     * (preds null), or stores those of rows {@code lo <= w < hi} backwards from the row ends into {@code preds},
     * whose element 0 is the predecessor list position {@code base}.
     */
    private static void predecessors(HeapGraph g, SpilledArray clsFile, int[] dfnum, long[] rootChild, int[] predStart,
                                     int[] preds, int lo, int hi, int base) {
        int n = g.nodes;
        SpilledArray.Window starts = g.startFile().window();
        SpilledArray.Window targets = g.edgeFile().window();
        SpilledArray.Window classes = clsFile.window();
        long rowEnd = starts.get(0);
        for (int v = 0; v < n; v++) {
            long rowStart = rowEnd;
            rowEnd = starts.get(v + 1);
            int dv = dfnum[v];
            if (dv < 0) {
                continue;
            }
            int classNode = v == 0 ? -1 : g.classNodeOf(classes.get(v));
            for (long e = rowStart; e <= rowEnd; e++) {
                int t = e < rowEnd ? targets.get(e) : classNode;
                int w = t > 0 ? dfnum[t] : -1;
                if (w > 0 && (v == 0 || (rootChild[t >>> 6] & (1L << t)) == 0)) {
                    if (preds == null) {
                        predStart[w + 1]++;
                    } else if (w >= lo && w < hi) {
                        preds[--predStart[w + 1] - base] = dv;
                    }
                }
            }
        }
    }

    /** Retained bytes per node: ints in 8-byte units when the heap's shallow total allows, else longs. */
    abstract static class Retained {
        static Retained of(int n, long totalShallow, int alignBytes) {
            return alignBytes % 8 == 0 && totalShallow / 8 < Integer.MAX_VALUE ? new Units(n) : new Bytes(n);
        }

        abstract long get(int v);

        abstract void set(int v, long bytes);

        final void add(int v, long bytes) {
            set(v, get(v) + bytes);
        }

        private static final class Units extends Retained {
            private final int[] units;

            Units(int n) {
                units = new int[n];
            }

            @Override
            long get(int v) {
                return (units[v] & 0xffffffffL) << 3;
            }

            @Override
            void set(int v, long bytes) {
                units[v] = (int) (bytes >>> 3);
            }
        }

        private static final class Bytes extends Retained {
            private final long[] bytes;

            Bytes(int n) {
                bytes = new long[n];
            }

            @Override
            long get(int v) {
                return bytes[v];
            }

            @Override
            void set(int v, long b) {
                bytes[v] = b;
            }
        }
    }

    /** Path compression for eval(v) without recursion: collect the ancestor chain, then fold from the top down. */
    private static int[] compress(int v, int[] ancestor, int[] label, int[] semi, int[] stack) {
        int sp = 0;
        int x = v;
        while (ancestor[ancestor[x]] >= 0) {
            if (sp == stack.length) {
                stack = java.util.Arrays.copyOf(stack, sp * 2);
            }
            stack[sp++] = x;
            x = ancestor[x];
        }
        while (sp > 0) {
            int y = stack[--sp];
            int a = ancestor[y];
            if (semi[label[a]] < semi[label[y]]) {
                label[y] = label[a];
            }
            ancestor[y] = ancestor[a];
        }
        return stack;
    }
}
