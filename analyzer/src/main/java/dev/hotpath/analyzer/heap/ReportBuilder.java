package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.HeapReport.Accumulation;
import dev.hotpath.analyzer.heap.HeapReport.ClassRow;
import dev.hotpath.analyzer.heap.HeapReport.DominatorRow;
import dev.hotpath.analyzer.heap.HeapReport.Suspect;

import dev.hotpath.analyzer.heap.internal.LongStack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Turns an analysed dump into a {@link HeapReport}: class histogram with retained bytes per class, the top of the
 * dominator tree, MAT-style leak suspects and waste.
 *
 * <p>Leak suspects: the threshold is a share of the reachable heap ({@link #suspectPercent}, default 10%). Walking
 * down the dominator tree from the GC roots through nodes retaining at least the threshold, the first node that is
 * an anchor (a static field's value, a thread's ThreadLocal map, a frame local; see {@link Holders}) is a suspect;
 * a branch with no anchor reports its deepest node above the threshold. Classes whose instances directly below
 * the roots retain the threshold together, none of them alone, are reported as "N instances of X". The accumulation
 * point descends from the suspect while one dominated child keeps ≥ 80% of its parent's retained bytes; its
 * element class is the class holding most of the bytes among its dominated children, and elements their count.
 */
public final class ReportBuilder {
    static final double ACCUMULATION_SHARE = 0.8;
    private final HeapAnalysis a;
    private final HeapIndex index;
    private final Dominators d;
    private final Holders holders;
    private double suspectPercent = 10.0;
    private int top = 20;

    public ReportBuilder(HeapAnalysis analysis) throws IOException {
        this.a = analysis;
        this.index = analysis.index;
        this.d = analysis.dominators;
        this.holders = new Holders(analysis);
    }

    public ReportBuilder suspectPercent(double p) {
        this.suspectPercent = p;
        return this;
    }

    public ReportBuilder top(int n) {
        this.top = n;
        return this;
    }

    public Holders holders() {
        return holders;
    }

    public HeapReport build(boolean withWaste) throws IOException {
        retainedPerClass();
        List<ClassRow> hist = new ArrayList<>();
        for (ClassInfo c : index.classes) {
            if (c.instances > 0) {
                hist.add(new ClassRow(c.name, c.instances, c.shallowBytes, c.retainedBytes));
            }
        }
        hist.sort(Comparator.comparingLong(ClassRow::retainedBytes).reversed()
                .thenComparing(Comparator.comparingLong(ClassRow::shallowBytes).reversed())
                .thenComparing(ClassRow::className));
        List<ClassRow> histTop = new ArrayList<>(hist.subList(0, Math.min(top, hist.size())));
        List<String> notes = new ArrayList<>(a.notes);
        String fillers = Fillers.note(index);
        if (fillers != null) {
            notes.add(fillers);
        }
        long unreachable = index.objectCount + 1L - d.reachableCount() - index.fillerCount;
        if (unreachable > 0) {
            notes.add(unreachable + " objects are reachable only through weak/soft/phantom referents or not at all; "
                    + "they are in the histogram but retained by no one");
        }
        return new HeapReport(index.displayName, index.objectCount, countClasses(), index.totalShallow, d.retained(0),
                index.rootCount, histTop, dominators(), suspects(), withWaste ? new Waste(a).find(Waste.EXAMPLES) : List.of(),
                List.of(), List.of(), notes);
    }

    private int countClasses() {
        int n = 0;
        for (ClassInfo c : index.classes) {
            if (c.objectId != 0 || c.instances > 0) {
                n++;
            }
        }
        return n;
    }

    /** DFS over the dominator tree; a node counts for its class unless an ancestor of the same class already does. */
    void retainedPerClass() {
        for (ClassInfo c : index.classes) {
            c.retainedBytes = 0;
        }
        long[] active = new long[index.classes.length];
        // frames of (node, next child), as deep as the dominator tree
        LongStack stack = new LongStack();
        stack.push(0);
        stack.push(0);
        while (!stack.isEmpty()) {
            long v = stack.peek(1);
            long i = stack.peek(0);
            if (i < d.childCount(v)) {
                stack.setPeek(0, i + 1);
                long c = d.child(v, i);
                int k = index.classIndex(c);
                if (active[k]++ == 0) {
                    index.classes[k].retainedBytes += d.retained(c);
                }
                stack.push(c);
                stack.push(0);
            } else {
                if (v != 0) {
                    active[index.classIndex(v)]--;
                }
                stack.drop(2);
            }
        }
    }

    private long[] childrenByRetained(long v, int max) {
        long n = d.childCount(v);
        // partial selection of the largest children without sorting all of them (the root has millions)
        int k = (int) Math.min(max, n);
        long[] best = new long[k];
        int size = 0;
        for (long i = 0; i < n; i++) {
            long c = d.child(v, i);
            long r = d.retained(c);
            if (size < k) {
                int j = size++;
                while (j > 0 && d.retained(best[j - 1]) < r) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = c;
            } else if (k > 0 && r > d.retained(best[k - 1])) {
                int j = k - 1;
                while (j > 0 && d.retained(best[j - 1]) < r) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = c;
            }
        }
        return best;
    }

    /** Top dominators with their largest descendants (≥ 1% of the heap) as a tree, three levels deep. */
    private List<DominatorRow> dominators() throws IOException {
        List<DominatorRow> rows = new ArrayList<>();
        long total = Math.max(1, d.retained(0));
        for (long c : childrenByRetained(0, top)) {
            addTree(rows, c, 0, total);
        }
        return rows;
    }

    private void addTree(List<DominatorRow> rows, long v, int depth, long total) throws IOException {
        List<String> path = depth == 0 ? holders.pathToRoot(v, 12) : List.of();
        String holder = holders.anchor(v);
        rows.add(new DominatorRow(index.id(v), nodeClass(v), index.shallow(v), d.retained(v), depth, holder, path));
        if (depth >= 3) {
            return;
        }
        for (long c : childrenByRetained(v, 3)) {
            if (d.retained(c) * 100 >= total) {
                addTree(rows, c, depth + 1, total);
            }
        }
    }

    String nodeClass(long v) {
        if (index.isClassObject(v)) {
            ClassInfo c = index.classForClassObject(v);
            return "class " + (c == null ? "?" : c.name);
        }
        return index.classOf(v).name;
    }

    private List<Suspect> suspects() throws IOException {
        List<Suspect> out = new ArrayList<>();
        long total = d.retained(0);
        if (total <= 0) {
            return out;
        }
        long threshold = (long) Math.ceil(total * suspectPercent / 100.0);
        List<Long> found = new ArrayList<>();
        LongStack stack = new LongStack();
        for (long c : childrenByRetained(0, 64)) {
            if (d.retained(c) >= threshold) {
                stack.push(c);
            }
        }
        while (!stack.isEmpty()) {
            long v = stack.pop();
            boolean descended = false;
            if (holders.anchor(v) == null || holders.isFrameLocal(v)) {
                for (long c : childrenByRetained(v, 16)) {
                    if (d.retained(c) >= threshold) {
                        stack.push(c);
                        descended = true;
                    }
                }
            }
            if (!descended) {
                found.add(v);
            }
        }
        for (long v : found) {
            out.add(suspect(v, total));
        }
        // one class's instances directly below the roots, together over the threshold
        long[] byClass = new long[index.classes.length];
        long[] maxByClass = new long[index.classes.length];
        long[] countByClass = new long[index.classes.length];
        for (long i = 0; i < d.childCount(0); i++) {
            long c = d.child(0, i);
            if (!index.isClassObject(c)) {
                int k = index.classIndex(c);
                byClass[k] += d.retained(c);
                maxByClass[k] = Math.max(maxByClass[k], d.retained(c));
                countByClass[k]++;
            }
        }
        for (int k = 0; k < byClass.length; k++) {
            if (byClass[k] >= threshold && countByClass[k] > 1) {
                // MAT's "N instances of X": only when no single instance is itself a suspect branch
                if (maxByClass[k] < threshold) {
                    ClassInfo c = index.classes[k];
                    double pct = 100.0 * byClass[k] / total;
                    String title = String.format(Locale.ROOT, "%d instances of %s retain %s (%.1f%% of the heap)",
                            countByClass[k], c.name, Bytes.format(byClass[k]), pct);
                    out.add(new Suspect(title, "(several GC roots)", c.name, 0, countByClass[k], byClass[k], pct,
                            new Accumulation(c.name, c.name, countByClass[k], byClass[k]), 0, List.of()));
                }
            }
        }
        out.sort(Comparator.comparingLong(Suspect::retainedBytes).reversed());
        return out;
    }

    Suspect suspect(long v, long total) throws IOException {
        long[] chain = accumulationChain(v);
        long collection = collectionOf(chain);
        Accumulation acc = accumulation(chain, collection);
        String holder = holders.holderOf(collection);
        int loaders = classLoadersUnder(v);
        double pct = 100.0 * d.retained(collection) / total;
        String cls = nodeClass(collection);
        StringBuilder title = new StringBuilder();
        title.append(holder).append(" retains ").append(Bytes.format(d.retained(collection)))
                .append(String.format(Locale.ROOT, " (%.1f%% of the heap)", pct)).append(" in one ").append(cls);
        if (acc.elements() > 1 && collection == chain[chain.length - 1] && acc.elementClass().equals(cls)) {
            title.append(": a linked chain of ").append(acc.elements()).append(" × ").append(acc.elementClass());
        } else if (acc.elements() > 0 && !acc.elementClass().isEmpty()) {
            long[] split = dominatedOfClass(chain[chain.length - 1], acc.elementClass());
            long ofClass = split[0];
            if (ofClass > 0 && ofClass < acc.elements() && split[1] > 0) {
                // a list of mixed classes: the count is every element, the class only the one holding the most bytes
                // (a hash table's chained entries are dominated by the entry before them, not by the table: only
                // elements of other classes make the list mixed)
                title.append(": ").append(acc.elements()).append(" elements (").append(ofClass).append(" × ")
                        .append(acc.elementClass()).append(") in ").append(acc.className());
            } else {
                title.append(": ").append(acc.elements()).append(" × ").append(acc.elementClass())
                        .append(" in ").append(acc.className());
            }
        }
        if (loaders > 0) {
            title.append("; keeps ").append(loaders).append(loaders == 1 ? " class loader" : " class loaders").append(" alive");
        }
        return new Suspect(title.toString(), holder, cls, index.id(collection), 1, d.retained(collection), pct, acc,
                loaders, holders.pathToRoot(collection, 12));
    }

    /** Of the objects x dominates directly (classes aside): {how many are of the named class, how many are not}. */
    private long[] dominatedOfClass(long x, String className) {
        long[] n = new long[2];
        for (long i = 0; i < d.childCount(x); i++) {
            long c = d.child(x, i);
            if (!index.isClassObject(c)) {
                n[index.classOf(c).name.equals(className) ? 0 : 1]++;
            }
        }
        return n;
    }

    /** From v down the dominator tree while one child keeps ≥ 80% of its parent's retained bytes. */
    long[] accumulationChain(long v) {
        long[] chain = new long[8];
        int len = 0;
        long x = v;
        while (true) {
            if (len == chain.length) {
                chain = java.util.Arrays.copyOf(chain, len * 2);
            }
            chain[len++] = x;
            long[] big = childrenByRetained(x, 1);
            if (big.length == 0 || d.retained(big[0]) < ACCUMULATION_SHARE * d.retained(x) || len > 10_000
                    || linksToItsOwnClass(x, big[0])) {
                break;
            }
            x = big[0];
        }
        return java.util.Arrays.copyOf(chain, len);
    }

    /**
     * A node whose biggest dominated child is of its own class heads a linked structure ({@code Node.next}): the
     * structure is the accumulation, so the chain stops at its head rather than walking down a million links (the
     * holder a user reads is what points at the head).
     */
    private boolean linksToItsOwnClass(long x, long child) {
        return !index.isClassObject(x) && !index.isClassObject(child) && !index.classOf(x).isArray()
                && index.classIndex(child) == index.classIndex(x);
    }

    /** How many objects of x's class x dominates, itself included: the links of a linked structure headed by x. */
    private long sameClassBelow(long x) {
        int k = index.classIndex(x);
        long count = 0;
        LongStack stack = new LongStack();
        stack.push(x);
        while (!stack.isEmpty()) {
            long v = stack.pop();
            if (index.classIndex(v) == k && !index.isClassObject(v)) {
                count++;
            }
            for (long i = 0; i < d.childCount(v); i++) {
                stack.push(d.child(v, i));
            }
        }
        return count;
    }

    /** The collection a user would name: the last plain instance before the chain reaches an array or a class. */
    long collectionOf(long[] chain) {
        long reported = chain[0];
        for (long x : chain) {
            if (index.isClassObject(x) || index.classOf(x).isArray()) {
                break;
            }
            reported = x;
        }
        return reported;
    }

    Accumulation accumulation(long v) throws IOException {
        long[] chain = accumulationChain(v);
        return accumulation(chain, collectionOf(chain));
    }

    /**
     * The accumulation point is the chain's last node. Elements: the collection's {@code size} (or
     * {@code elementCount}/{@code count}) field when it has one, else the non-null slots of an object array, else
     * the number of objects the point dominates. Element class: the class holding most bytes among what the point
     * dominates, looking through hash-table nodes ({@code HashMap$Node}, {@code ...Entry}) to what they hold.
     */
    Accumulation accumulation(long[] chain, long collection) throws IOException {
        long x = chain[chain.length - 1];
        long elements = -1;
        // the collection's size counts the accumulation point's elements only when it is the collection's own array
        boolean direct = chain.length >= 2 && chain[chain.length - 2] == collection;
        for (String f : new String[] {"size", "elementCount", "count"}) {
            ClassInfo c = index.classOf(collection);
            if (direct && elements < 0 && !index.isClassObject(collection) && c.fieldType(f) == dev.hotpath.analyzer.heap.internal.HprofTypes.INT) {
                elements = index.field(collection, f, -1);
            }
        }
        String elementClass = "";
        long n = d.childCount(x);
        long[] big = childrenByRetained(x, 1);
        if (big.length == 1 && linksToItsOwnClass(x, big[0]) && d.retained(big[0]) >= ACCUMULATION_SHARE * d.retained(x)) {
            // a linked structure: its elements are its links
            return new Accumulation(nodeClass(x), nodeClass(x), sameClassBelow(x), d.retained(x));
        }
        if (n > 0) {
            long[] byClass = new long[index.classes.length];
            int bestK = dominantChildClass(x, byClass);
            String name = index.classes[bestK].name;
            if (name.endsWith("$Node") || name.endsWith("Entry") || name.endsWith("$TreeNode")) {
                java.util.Arrays.fill(byClass, 0);
                int inner = -1;
                for (long i = 0; i < n; i++) {
                    long c = d.child(x, i);
                    if (index.classIndex(c) == bestK) {
                        int k = dominantChildClass(c, byClass, bestK);
                        inner = k >= 0 && (inner < 0 || byClass[k] > byClass[inner]) ? k : inner;
                    }
                }
                if (inner >= 0) {
                    bestK = inner;
                }
            }
            elementClass = index.classes[bestK].name;
            if (elements < 0) {
                elements = index.classOf(x).arrayElementType == dev.hotpath.analyzer.heap.internal.HprofTypes.OBJECT
                        && !index.isClassObject(x) ? nonNullSlots(x) : n;
            }
        } else if (index.classOf(x).isArray() && !index.isClassObject(x)) {
            elementClass = index.classOf(x).name.replace("[]", "");
            if (elements < 0) {
                elements = index.arrayLength(x);
            }
        }
        return new Accumulation(nodeClass(x), elementClass, Math.max(0, elements), d.retained(x));
    }

    private long nonNullSlots(long array) {
        return a.graph.outDegree(array);
    }

    private int dominantChildClass(long x, long[] byClass) {
        return dominantChildClass(x, byClass, -1);
    }

    /** Adds the retained bytes of x's dominated children per class into byClass; returns the best class (not skip). */
    private int dominantChildClass(long x, long[] byClass, int skip) {
        int best = -1;
        for (long i = 0; i < d.childCount(x); i++) {
            long c = d.child(x, i);
            int k = index.classIndex(c);
            if (k == skip) {
                continue;
            }
            byClass[k] += d.retained(c);
            if (best < 0 || byClass[k] > byClass[best]) {
                best = k;
            }
        }
        return best;
    }

    private int classLoadersUnder(long v) {
        int loaderClass = -1;
        for (ClassInfo c : index.classes) {
            if (c.name.equals("java.lang.ClassLoader")) {
                loaderClass = c.index;
            }
        }
        if (loaderClass < 0) {
            return 0;
        }
        boolean[] isLoader = new boolean[index.classes.length];
        for (ClassInfo c : index.classes) {
            int guard = 0;
            for (ClassInfo k = c; k != null && guard++ < 100; k = k.superIndex < 0 ? null : index.classes[k.superIndex]) {
                if (k.index == loaderClass) {
                    isLoader[c.index] = true;
                    break;
                }
            }
        }
        int count = 0;
        java.util.Set<Long> seenLoaders = new java.util.HashSet<>();
        for (ClassInfo c : index.classes) {
            if (c.loaderId == 0) {
                continue;
            }
            long loader = index.nodeOf(c.loaderId);
            if (loader <= 0 || !isLoader[index.classIndex(loader)]) {
                continue;
            }
            if (!seenLoaders.add(c.loaderId)) {
                continue;
            }
            for (long x = loader; x > 0; x = d.idom(x)) {
                if (x == v) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }
}
