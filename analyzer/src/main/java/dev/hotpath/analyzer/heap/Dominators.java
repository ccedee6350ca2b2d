package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.IntPages;
import dev.hotpath.analyzer.heap.internal.LongPages;
import dev.hotpath.analyzer.heap.internal.LongStack;
import dev.hotpath.analyzer.heap.internal.NodeArray;
import dev.hotpath.analyzer.heap.internal.Paging;
import dev.hotpath.analyzer.heap.internal.SpillDir;
import dev.hotpath.analyzer.heap.internal.SpilledArray;

import java.io.IOException;

/**
 * Immediate dominators and retained sizes over a {@link HeapGraph}, rooted at the virtual root (node 0).
 *
 * <p>Semi-NCA (Georgiadis' variant of Lengauer–Tarjan): an iterative depth-first numbering, semidominators with
 * path-compressed {@code eval} (no recursion: compress walks an explicit stack), then each idom is the nearest common
 * ancestor of the DFS parent and the semidominator in the partly built tree. Node and DFS numbers are longs; the
 * working arrays are paged {@link NodeArray}s (ints per node while the node count fits an int, longs beyond), the
 * walks' stacks {@link LongStack}s;
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
    final long reachable;
    // dominator tree children in CSR form
    final NodeArray childStart;
    final NodeArray children;

    /**
     * The predecessor lists in DFS-number space as the dominator step left them on file (row w at
     * {@code rows[w + 1] .. rows[w + 2]}, the last row ending at {@code total}); a GC root's only predecessor is 0.
     */
    record Predecessors(SpilledArray dfnum, SpilledArray vertex, SpilledArray rows, SpilledArray preds, long count,
                        long total) {
        long from(long w) {
            return rows.get(w + 1);
        }

        long to(long w) {
            return w + 1 < count ? rows.get(w + 2) : total;
        }
    }

    final Predecessors predecessors;

    private Dominators(SpilledArray idom, Retained retained, long reachable, NodeArray childStart, NodeArray children,
                       Predecessors predecessors) {
        this.predecessors = predecessors;
        this.idom = idom;
        this.retained = retained;
        this.reachable = reachable;
        this.childStart = childStart;
        this.children = children;
    }

    public long idom(long node) {
        long w = node <= 0 ? -1 : predecessors.dfnum().get(node);
        return w <= 0 ? -1 : idom.get(w);
    }

    public long retained(long node) {
        return retained.get(node);
    }

    public long reachableCount() {
        return reachable;
    }

    public long childCount(long node) {
        return childStart.get(node + 1) - childStart.get(node);
    }

    public long child(long node, long i) {
        return children.get(childStart.get(node) + i);
    }

    static Dominators compute(HeapGraph g, HeapIndex index, SpillDir spill) throws IOException {
        long n = g.nodes;
        HeapAnalysis.Timer timer = new HeapAnalysis.Timer();
        NodeArray edgeStart = g.edgeStart;
        NodeArray edges = g.edges;
        // files of node numbers and DFS numbers: 4 bytes per element while they fit an int, else 8
        int nodeWidth = NodeArray.widthFor(n);
        // the class column (a char per node, usually) stays for the DFS, which reads each node's class once for the
        // implicit edge to its class object; a copy goes to its index file for the passes after, and comes back at
        // the end
        SpilledArray clsFile = index.cls.write(spill, "class");
        // the DFS itself needs only a visited bit per node: each stack entry carries its own DFS number (the parent
        // number a child records), and node -> DFS number is filled from the vertex file once the graph's arrays are
        // gone, so the DFS's peak holds no int per node beyond the graph's own
        long[] visited = new long[(int) (n >>> 6) + 1];
        // GC roots (children of the virtual root) are dominated by the root whatever else points at them, so only the
        // root's edge to them is kept as a predecessor: this drops the millions of implicit edges to system classes
        long[] rootChild = new long[(int) ((n + 63) >>> 6)];
        for (long e = edgeStart.get(0); e < edgeStart.get(1); e++) {
            long t = edges.get(e);
            rootChild[(int) (t >>> 6)] |= 1L << t;
        }
        // the DFS numbering (vertex: DFS number -> node) and the DFS tree (parent, in DFS numbers) are produced and
        // consumed in DFS-number order: they go to index files instead of two more arrays
        SpilledArray.Writer vertexOut = spill.writer("dfs-vertex", nodeWidth);
        SpilledArray.Writer parentOut = spill.writer("dfs-parent", nodeWidth);
        long count = dfs(g, edgeStart, edges, index.cls, visited, vertexOut, parentOut);
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
        NodeArray dfnum = NodeArray.of(n, n, -1, false, Paging.pageBits());
        numbers(dfnum, vertexFile.window(), count);
        timer.lap("dom: spill graph, " + g.edgeCount() + " edges");
        // predecessors in DFS-number space, reachable nodes only (edges into the root, number 0, are not kept):
        // counted in one pass, then filled backwards from each row's end, so that predStart itself is the cursor:
        // afterwards row w starts at predStart[w + 1] and ends at predStart[w + 2] (the last row at the total).
        // The fill goes in chunks of consecutive rows, each one more pass over the graph's file into one buffer that
        // is appended to the predecessors' file: the lists (4 bytes per predecessor, about twice the objects) never
        // sit in memory whole, so this step's peak stays below the DFS's. The offsets are ints while the stored
        // references plus one class edge per node fit an int (the most predecessors there can be), else longs
        NodeArray predStart = NodeArray.of(n + 1, g.edgeCount() + n);
        predecessors(g, clsFile, dfnum, rootChild, predStart, null, 0, 0, 0);
        predStart.set(1, 0);
        for (long i = 0; i < count; i++) {
            predStart.set(i + 1, predStart.get(i + 1) + predStart.get(i));
        }
        long predTotal = predStart.get(count);
        // rows [lo, hi) occupy [predStart[lo], predStart[hi]) until the fill moves the cursors: cut them all first
        // at most 1.5 ints per object in one chunk (about the DFS's peak), spread evenly over as few chunks as that takes
        long budget = Math.max(1, Long.getLong("hotpath.heap.predChunk", Math.max(1L << 16, n * 3L / 2)));
        long chunkInts = -Math.floorDiv(-predTotal, Math.max(1, -Math.floorDiv(-predTotal, budget)));
        long[] cuts = new long[16];
        int chunks = 0;
        long biggest = 0;
        cuts[0] = 1;
        for (long lo = 1; lo < count; ) {
            long hi = lo + 1;
            while (hi < count && predStart.get(hi + 1) - predStart.get(lo) <= chunkInts) {
                hi++;
            }
            biggest = Math.max(biggest, predStart.get(hi) - predStart.get(lo));
            if (chunks + 2 >= cuts.length) {
                cuts = java.util.Arrays.copyOf(cuts, cuts.length * 2);
            }
            cuts[++chunks] = hi;
            lo = hi;
        }
        long[] bases = new long[chunks + 1];
        for (int c = 0; c <= chunks; c++) {
            bases[c] = predStart.get(cuts[c]);
        }
        SpilledArray.Writer predOut = spill.writer("preds", nodeWidth);
        NodeArray preds = NodeArray.of(biggest, count);
        for (int c = 0; c < chunks; c++) {
            predecessors(g, clsFile, dfnum, rootChild, predStart, preds, cuts[c], cuts[c + 1], bases[c]);
            predOut.addAll(preds, 0, bases[c + 1] - bases[c]);
        }
        preds = null;
        SpilledArray predFile = predOut.finish();
        timer.lap("dom: preds " + predTotal + " in " + chunks + " chunk(s)");
        rootChild = null;
        // node -> DFS number stays on file with the predecessor lists: paths to GC roots search backwards over them
        SpilledArray dfnumFile = spill.nodes("dfnum", dfnum, n);
        dfnum = null;
        // the semidominator loop reads predecessors and DFS parents once, in descending DFS order: from files
        SpilledArray predRows = spill.nodes("pred-start", predStart, count + 1L);
        predStart = null;
        HeapAnalysis.collect(n);
        timer.lap("dom: spill");
        NodeArray ancestor = NodeArray.of(count, count, -1, false, Paging.pageBits());
        NodeArray semi = NodeArray.of(count, count);
        NodeArray label = NodeArray.of(count, count);
        identity(semi, count);
        identity(label, count);
        semidominators(count, predTotal, ancestor, semi, label, predRows.window(), predFile.window(), parentFile.window());
        timer.lap("dom: semi");
        label = null;
        // idom by NCA in the partial tree, reusing ancestor as idom (dfs numbers)
        NodeArray dom = ancestor;
        nca(count, dom, semi, parentFile.window());
        semi = null;
        parentFile.release();
        timer.lap("dom: nca");
        HeapAnalysis.collect(n);
        NodeArray vertex = vertexFile.read();
        // retained sizes in node space: every node's shallow size in node order, then each reachable node adds its
        // retained size to its idom's, dominated nodes first (reverse DFS order); unreachable nodes are zeroed below.
        // Every shallow size is a multiple of 8 (SizeModel aligns objects): below 16 GiB in all, 8-byte units fit ints
        Retained retained = Retained.of(n, index.totalShallow, index.sizes.alignBytes());
        retainedSizes(n, count, retained, index, vertex, dom, dfnumFile.window());
        vertex = null;
        HeapAnalysis.collect(n);
        // dominator tree children in CSR form, in DFS order within a row (keeps siblings deterministic): counts,
        // inclusive prefix sums (row ends), then filled backwards in reverse DFS order (the DFS order and the idoms
        // are read back from their files) so that childStart[d] ends at row d's start. No node-indexed idom array:
        // idom(node) = the idom file at the node's DFS number, for the few walks up the tree the reports make
        NodeArray childStart = NodeArray.of(n + 1, count);
        childCounts(n, count, dom, childStart);
        SpilledArray idomFile = spill.nodes("idom", dom, count);
        // the children take the idom array's place (the fill reads the idoms back from their file): a fresh array
        // here would be allocated while the old one is still garbage, and the collector grows the heap for it
        NodeArray children = dom;
        dom = null;
        fillChildren(count, childStart, children, vertexFile.window(), idomFile.window());
        index.cls = dev.hotpath.analyzer.heap.internal.ClassColumn.read(clsFile, index.classes.length);
        clsFile.release();
        timer.lap("dom: tree");
        return new Dominators(idomFile, retained, count, childStart, children,
                new Predecessors(dfnumFile, vertexFile, predRows, predFile, count, predTotal));
    }

    // The phases' loops are methods of their own: each is compiled on its own, with the array accessors inlined
    // (one method holding every loop exhausts the JIT's inlining budget, and the accessors stay calls).

    /** Iterative DFS with an explicit stack of frames (node, its DFS number, next-edge cursor), as deep as the graph. */
    private static long dfs(HeapGraph g, NodeArray edgeStart, NodeArray edges,
                            dev.hotpath.analyzer.heap.internal.ClassColumn cls, long[] visited,
                            SpilledArray.Writer vertexOut, SpilledArray.Writer parentOut) throws IOException {
        LongStack stack = new LongStack();
        long count = 0;
        stack.push(0);
        stack.push(count++);
        stack.push(edgeStart.get(0));
        visited[0] |= 1L;
        vertexOut.add(0);
        parentOut.add(0);
        while (!stack.isEmpty()) {
            long v = stack.peek(2);
            long e = stack.peek(0);
            long rowEnd = edgeStart.get(v + 1);
            if (e <= rowEnd) {
                stack.setPeek(0, e + 1);
                // the position one past the row is the implicit edge to the object's class
                long w = e < rowEnd ? edges.get(e) : v == 0 ? -1 : g.classNodeOf(cls.get(v));
                if (w > 0 && (visited[(int) (w >>> 6)] & 1L << w) == 0) {
                    visited[(int) (w >>> 6)] |= 1L << w;
                    vertexOut.add(w);
                    parentOut.add(stack.peek(1));
                    stack.push(w);
                    stack.push(count++);
                    stack.push(edgeStart.get(w));
                }
            } else {
                stack.drop(3);
            }
        }
        return count;
    }

    /** node -> DFS number from the vertex file (DFS number -> node). */
    private static void numbers(NodeArray dfnum, SpilledArray.Window vertex, long count) {
        for (long w = 0; w < count; w++) {
            dfnum.set(vertex.get(w), w);
        }
    }

    private static void identity(NodeArray a, long n) {
        for (long i = 0; i < n; i++) {
            a.set(i, i);
        }
    }

    /** Semidominators in descending DFS order; afterwards ancestor holds each DFS number's DFS parent. */
    private static void semidominators(long count, long predTotal, NodeArray ancestor, NodeArray semi, NodeArray label,
                                       SpilledArray.Window rowsIn, SpilledArray.Window predsIn,
                                       SpilledArray.Window parentsIn) {
        long[] path = new long[64];
        LongStack overflow = new LongStack();
        for (long w = count - 1; w > 0; w--) {
            long s = semi.get(w);
            long from = rowsIn.get(w + 1);
            long to = w + 1 < count ? rowsIn.get(w + 2) : predTotal;
            for (long p = from; p < to; p++) {
                long v = predsIn.get(p);
                long u;
                if (ancestor.get(v) < 0) {
                    u = v;
                } else {
                    path = compress(v, ancestor, label, semi, path, overflow);
                    u = label.get(v);
                }
                long su = semi.get(u);
                if (su < s) {
                    s = su;
                }
            }
            semi.set(w, s);
            ancestor.set(w, parentsIn.get(w));
        }
    }

    /** Each idom as the nearest common ancestor of the DFS parent and the semidominator, into dom (DFS numbers). */
    private static void nca(long count, NodeArray dom, NodeArray semi, SpilledArray.Window parentsIn) {
        dom.set(0, 0);
        for (long w = 1; w < count; w++) {
            long x = parentsIn.get(w);
            long sw = semi.get(w);
            while (x > sw) {
                x = dom.get(x);
            }
            dom.set(w, x);
        }
    }

    /** Shallow sizes summed up the dominator tree; then the idoms turned into nodes (in place). */
    private static void retainedSizes(long n, long count, Retained retained, HeapIndex index, NodeArray vertex,
                                      NodeArray dom, SpilledArray.Window dfnumIn) {
        SpilledArray.Window shallowIn = index.shallowFile == null ? null : index.shallowFile.window();
        for (long v = 1; v < n; v++) {
            retained.set(v, shallowIn == null ? index.shallow(v) : shallowIn.get(v));
        }
        for (long w = count - 1; w > 0; w--) {
            retained.add(vertex.get(dom.get(w)), retained.get(vertex.get(w)));
        }
        // idoms as nodes, still indexed by DFS number (in place: dom[w] is read once, before it is written)
        for (long w = 1; w < count; w++) {
            dom.set(w, vertex.get(dom.get(w)));
        }
        for (long v = 1; v < n; v++) {
            if (dfnumIn.get(v) < 0) {
                retained.set(v, 0);
            }
        }
    }

    /** Children per dominator, as inclusive prefix sums (row ends). */
    private static void childCounts(long n, long count, NodeArray dom, NodeArray childStart) {
        for (long w = 1; w < count; w++) {
            long d = dom.get(w);
            childStart.set(d, childStart.get(d) + 1);
        }
        for (long i = 1; i < n; i++) {
            childStart.set(i, childStart.get(i) + childStart.get(i - 1));
        }
        childStart.set(n, Math.max(0, count - 1));
    }

    /** The children filled backwards in reverse DFS order, so that each row end becomes its row's start. */
    private static void fillChildren(long count, NodeArray childStart, NodeArray children, SpilledArray.Window vertexIn,
                                     SpilledArray.Window idomIn) {
        for (long w = count - 1; w > 0; w--) {
            long d = idomIn.get(w);
            long at = childStart.get(d) - 1;
            childStart.set(d, at);
            children.set(at, vertexIn.get(w));
        }
    }

    /**
     * One pass over the rows in node order: counts each reachable node's predecessors into {@code predStart[w + 1]}
     * (preds null), or stores those of rows {@code lo <= w < hi} backwards from the row ends into {@code preds},
     * whose element 0 is the predecessor list position {@code base}.
     */
    private static void predecessors(HeapGraph g, SpilledArray clsFile, NodeArray dfnum, long[] rootChild,
                                     NodeArray predStart, NodeArray preds, long lo, long hi, long base) {
        long n = g.nodes;
        SpilledArray.Window starts = g.startFile().window();
        SpilledArray.Window targets = g.edgeFile().window();
        SpilledArray.Window classes = clsFile.window();
        long rowEnd = starts.get(0);
        for (long v = 0; v < n; v++) {
            long rowStart = rowEnd;
            rowEnd = starts.get(v + 1);
            long dv = dfnum.get(v);
            if (dv < 0) {
                continue;
            }
            long classNode = v == 0 ? -1 : g.classNodeOf((int) classes.get(v));
            for (long e = rowStart; e <= rowEnd; e++) {
                long t = e < rowEnd ? targets.get(e) : classNode;
                long w = t > 0 ? dfnum.get(t) : -1;
                if (w > 0 && (v == 0 || (rootChild[(int) (t >>> 6)] & (1L << t)) == 0)) {
                    if (preds == null) {
                        predStart.set(w + 1, predStart.get(w + 1) + 1);
                    } else if (w >= lo && w < hi) {
                        long at = predStart.get(w + 1) - 1;
                        predStart.set(w + 1, at);
                        preds.set(at - base, dv);
                    }
                }
            }
        }
    }

    /** Retained bytes per node: ints in 8-byte units when the heap's shallow total allows, else longs; paged. */
    abstract static class Retained {
        static Retained of(long n, long totalShallow, int alignBytes) {
            return alignBytes % 8 == 0 && totalShallow / 8 < Integer.MAX_VALUE && NodeArray.fitsInts(0) ? new Units(n) : new Bytes(n);
        }

        abstract long get(long v);

        abstract void set(long v, long bytes);

        final void add(long v, long bytes) {
            set(v, get(v) + bytes);
        }

        private static final class Units extends Retained {
            private final IntPages units;

            Units(long n) {
                units = new IntPages(n);
            }

            @Override
            long get(long v) {
                return (units.getInt(v) & 0xffffffffL) << 3;
            }

            @Override
            void set(long v, long bytes) {
                units.setInt(v, (int) (bytes >>> 3));
            }
        }

        private static final class Bytes extends Retained {
            private final LongPages bytes;

            Bytes(long n) {
                bytes = new LongPages(n);
            }

            @Override
            long get(long v) {
                return bytes.get(v);
            }

            @Override
            void set(long v, long b) {
                bytes.set(v, b);
            }
        }
    }

    /** The compress path buffer's largest length (a Java array's); a longer ancestor chain continues on a stack. */
    private static final int MAX_PATH = Integer.MAX_VALUE - 8;

    /**
     * Path compression for eval(v) without recursion: collect the ancestor chain, then fold from the top down. The
     * chain goes to a plain array kept in a local (a register-held index, as the int arrays of old had it); a chain
     * longer than a Java array (only in a dump of more than 2^31 objects) continues on the overflow stack, which is
     * folded first (it holds the top of the chain). Returns the buffer, grown if it had to.
     */
    private static long[] compress(long v, NodeArray ancestor, NodeArray label, NodeArray semi, long[] buf,
                                   LongStack overflow) {
        int sp = 0;
        long x = v;
        long ax = ancestor.get(x);
        while (ancestor.get(ax) >= 0) {
            if (sp == buf.length && buf.length < MAX_PATH) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(MAX_PATH, buf.length * 2L));
            }
            if (sp < buf.length) {
                buf[sp++] = x;
            } else {
                overflow.push(x);
            }
            x = ax;
            ax = ancestor.get(x);
        }
        while (!overflow.isEmpty()) {
            fold(overflow.pop(), ancestor, label, semi);
        }
        while (sp > 0) {
            fold(buf[--sp], ancestor, label, semi);
        }
        return buf;
    }

    private static void fold(long y, NodeArray ancestor, NodeArray label, NodeArray semi) {
        long a = ancestor.get(y);
        long la = label.get(a);
        if (semi.get(la) < semi.get(label.get(y))) {
            label.set(y, la);
        }
        ancestor.set(y, ancestor.get(a));
    }
}
