package dev.hotpath.analyzer.heap;

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
    /** Immediate dominator of each node, -1 for unreachable nodes and for the root. */
    final int[] idom;
    final long[] retained;
    /** Nodes in DFS preorder (reachable ones only); reachable count = {@code order.length}. */
    final int reachable;
    // dominator tree children in CSR form
    final int[] childStart;
    final int[] children;

    private Dominators(int[] idom, long[] retained, int reachable, int[] childStart, int[] children) {
        this.idom = idom;
        this.retained = retained;
        this.reachable = reachable;
        this.childStart = childStart;
        this.children = children;
    }

    public int idom(int node) {
        return idom[node];
    }

    public long retained(int node) {
        return retained[node];
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

    static Dominators compute(HeapGraph g, HeapIndex index) {
        int n = g.nodes;
        int[] dfnum = new int[n];
        int[] vertex = new int[n];
        int[] parent = new int[n];
        java.util.Arrays.fill(dfnum, -1);
        // iterative DFS with an explicit stack (node, next-edge cursor)
        int[] stackNode = new int[n];
        int[] stackEdge = new int[n];
        // predecessor counts in DFS-number space, counted while the DFS scans each edge (the target is numbered by then)
        int[] predStart = new int[n + 1];
        // GC roots (children of the virtual root) are dominated by the root whatever else points at them, so only the
        // root's edge to them is kept as a predecessor: this drops the millions of implicit edges to system classes
        long[] rootChild = new long[(n + 63) >>> 6];
        for (int e = g.edgeStart[0]; e < g.edgeStart[1]; e++) {
            rootChild[g.edges[e] >>> 6] |= 1L << g.edges[e];
        }
        int count = 0;
        int sp = 0;
        stackNode[0] = 0;
        stackEdge[0] = g.edgeStart[0];
        dfnum[0] = count;
        vertex[count] = 0;
        parent[count] = 0;
        count++;
        sp = 1;
        while (sp > 0) {
            int v = stackNode[sp - 1];
            int e = stackEdge[sp - 1];
            if (e <= g.edgeStart[v + 1]) {
                stackEdge[sp - 1] = e + 1;
                // the position one past the row is the implicit edge to the object's class
                int w = e < g.edgeStart[v + 1] ? g.edges[e] : g.classNode(v);
                if (w > 0) {
                    if (dfnum[w] < 0) {
                        dfnum[w] = count;
                        vertex[count] = w;
                        parent[count] = dfnum[v];
                        count++;
                        stackNode[sp] = w;
                        stackEdge[sp] = g.edgeStart[w];
                        sp++;
                    }
                    if (v == 0 || (rootChild[w >>> 6] & (1L << w)) == 0) {
                        predStart[dfnum[w] + 1]++;
                    }
                }
            } else {
                sp--;
            }
        }
        // the DFS stack is dropped here and semi/label allocated only once dfnum is gone, so that the predecessor
        // fill below does not hold all of them at once (the peak of the whole analysis is around here)
        stackNode = null;
        stackEdge = null;
        // predecessors in DFS-number space, reachable nodes only (edges into the root, number 0, are not kept)
        predStart[1] = 0;
        for (int i = 0; i < count; i++) {
            predStart[i + 1] += predStart[i];
        }
        int[] preds = new int[predStart[count]];
        int[] ancestor = new int[count];
        int[] fill = ancestor; // used as fill cursors first, initialised as ancestors afterwards
        for (int v = 0; v < n; v++) {
            int dv = dfnum[v];
            if (dv < 0) {
                continue;
            }
            for (int e = g.edgeStart[v]; e <= g.edgeStart[v + 1]; e++) {
                int t = e < g.edgeStart[v + 1] ? g.edges[e] : g.classNode(v);
                int w = t > 0 ? dfnum[t] : -1;
                if (w > 0 && (v == 0 || (rootChild[t >>> 6] & (1L << t)) == 0)) {
                    preds[predStart[w] + fill[w]++] = dv;
                }
            }
        }
        fill = null;
        rootChild = null;
        dfnum = null; // not needed past this point: the peak below is the semidominator loop
        int[] semi = new int[n];
        int[] label = new int[n];
        for (int i = 0; i < count; i++) {
            semi[i] = i;
            label[i] = i;
            ancestor[i] = -1;
        }
        int[] stack = new int[64];
        for (int w = count - 1; w > 0; w--) {
            int s = semi[w];
            for (int p = predStart[w]; p < predStart[w + 1]; p++) {
                int v = preds[p];
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
            ancestor[w] = parent[w];
        }
        preds = null;
        predStart = null;
        // idom by NCA in the partial tree, reusing ancestor as idom (dfs numbers)
        int[] dom = ancestor;
        dom[0] = 0;
        for (int w = 1; w < count; w++) {
            int x = parent[w];
            while (x > semi[w]) {
                x = dom[x];
            }
            dom[w] = x;
        }
        semi = null;
        long[] retained = new long[n];
        for (int w = count - 1; w >= 0; w--) {
            int v = vertex[w];
            retained[v] += v == 0 ? 0 : index.shallow[v];
            if (w > 0) {
                retained[vertex[dom[w]]] += retained[v];
            }
        }
        int[] idom = parent; // reuse: node-space idom
        java.util.Arrays.fill(idom, -1);
        int[] childCounts = new int[n + 1];
        for (int w = 1; w < count; w++) {
            int d = vertex[dom[w]];
            idom[vertex[w]] = d;
            childCounts[d + 1]++;
        }
        for (int i = 0; i < n; i++) {
            childCounts[i + 1] += childCounts[i];
        }
        int[] children = new int[Math.max(0, count - 1)];
        int[] cursor = label; // reuse
        java.util.Arrays.fill(cursor, 0);
        // children in DFS order, which keeps siblings deterministic
        for (int w = 1; w < count; w++) {
            int v = vertex[w];
            int d = idom[v];
            children[childCounts[d] + cursor[d]++] = v;
        }
        return new Dominators(idom, retained, count, childCounts, children);
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
