package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.HeapReport.WasteItem;
import dev.hotpath.analyzer.heap.internal.HprofInput;
import dev.hotpath.analyzer.heap.internal.HprofTypes;
import dev.hotpath.analyzer.heap.internal.IntPages;
import dev.hotpath.analyzer.heap.internal.LongPages;
import dev.hotpath.analyzer.heap.internal.NodeArray;
import dev.hotpath.analyzer.heap.internal.NodeBits;
import dev.hotpath.analyzer.heap.internal.Paging;
import dev.hotpath.analyzer.heap.internal.ParallelSort;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory the program holds without need, each kind with the bytes it wastes:
 * <ul>
 *   <li>duplicate strings: every copy of an equal String beyond the first wastes its String plus its value array;</li>
 *   <li>empty collections: an {@code ArrayList} or {@code HashMap} of size 0 that still holds a backing array wastes
 *       that array;</li>
 *   <li>oversized lists: an {@code ArrayList} whose capacity exceeds twice its size (and by ≥ 8) wastes the unused
 *       slots;</li>
 *   <li>boxed primitives: each {@code Integer}, {@code Long}, ... wastes its size minus the primitive it boxes;</li>
 *   <li>sparse object arrays: arrays of ≥ 16 slots less than a quarter full waste their null slots.</li>
 * </ul>
 * Reads Strings, collections and their arrays in file order (two walks of the dump each, two threads where
 * {@link HprofScanner#walkHeapParallel} splits the dump); examples through the index's window. Not thread-safe.
 */
final class Waste {
    /** Examples per kind in reports; {@link HeapAnalysis#open(java.nio.file.Path, java.nio.file.Path, boolean)} reads ahead with it. */
    static final int EXAMPLES = 5;

    private final HeapIndex index;
    private final HeapAnalysis a;
    private final HprofScanner scanner;

    Waste(HeapAnalysis a) {
        this.a = a;
        this.index = a.index;
        this.scanner = a.scanner;
    }

    /** For the read-ahead while the analysis opens: {@link #fileOrderItems} only (no graph yet). */
    Waste(HeapIndex index, HprofScanner scanner) {
        this.a = null;
        this.index = index;
        this.scanner = scanner;
    }

    List<WasteItem> find(int examples) throws IOException {
        HeapAnalysis.Timer t = new HeapAnalysis.Timer();
        // read ahead by HeapAnalysis.open when the analysis was opened for a report with waste
        List<WasteItem> out = a.fileOrderWaste != null && examples == EXAMPLES
                ? new ArrayList<>(a.fileOrderWaste) : fileOrderItems(examples);
        boxes(out);
        sparseArrays(out, examples);
        t.lap("waste: boxes, sparse arrays");
        out.sort((x, y) -> Long.compare(y.wastedBytes(), x.wastedBytes()));
        return out;
    }

    /**
     * The kinds read from the dump in file order: duplicate strings, then empty and oversized collections (in this
     * order; the report's sort is stable). Needs the object table (pass 2) and the id index, not the graph, so
     * {@link HeapAnalysis} runs it before pass 3 when a report wants waste: its arrays are gone before the graph and
     * the dominator step allocate theirs, instead of adding to the dominator tree's arrays at the peak.
     */
    List<WasteItem> fileOrderItems(int examples) throws IOException {
        HeapAnalysis.Timer t = new HeapAnalysis.Timer();
        List<WasteItem> out = new ArrayList<>();
        WasteItem dup = duplicateStrings(examples);
        if (dup != null) {
            out.add(dup);
        }
        t.lap("waste: strings");
        collections(out, examples);
        t.lap("waste: collections");
        return out;
    }

    /** FNV-1a over a String's value bytes (the first MiB), then its length in bytes, then its coder: equal hash, equal value. */
    private static final long FNV_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final int HASHED_BYTES = 1 << 20;

    /**
     * Groups the Strings by a hash of their value. The dump is read in file order, twice — the Strings (value array and
     * coder), then the primitive arrays they point to (hash and shallow size) — instead of object by object at
     * random: per String the object table keeps its hash and its size with its rank among the Strings, 16 bytes,
     * plus, while the arrays are read, 12 bytes per distinct value array (values at the ranks of {@link NodeBits}).
     * The groups are then those of a sort by hash, exactly as when each String was read where it lies.
     */
    private WasteItem duplicateStrings(int examples) throws IOException {
        int sc = index.stringClass;
        if (sc < 0 || index.classes[sc].instances < 2) {
            return null;
        }
        ClassInfo c = index.classes[sc];
        int valueOff = c.fieldOffset("value");
        int coderOff = c.fieldOffset("coder");
        NodeBits strings = new NodeBits(index.objectCount + 1);
        for (long v = 1; v <= index.objectCount; v++) {
            if (index.classIndex(v) == sc) {
                strings.add(v);
            }
        }
        long n = strings.freeze();
        // one entry per String (long-indexed: a dump may hold more than 2^31 of them). While the Strings are read,
        // hashes holds each one's value array node and packed its coder; then the hash, and size << 31 | rank
        LongPages hashes = new LongPages(n);
        boolean narrow = n <= 1L << 31;
        LongPages packed = new LongPages(n);
        LongPages ranks = narrow ? null : new LongPages(n);
        scanner.walkHeapParallel(() -> new Visitor() {
            @Override
            public void instance(long id, long classId, long recordOffset, int dataBytes, HprofInput in) throws IOException {
                long v = index.nodeOf(id);
                if (v <= 0 || index.classIndex(v) != sc) {
                    return;
                }
                byte[] data = in.bytes(dataBytes);
                long k = strings.rank(v);
                hashes.set(k, valueOff < 0 ? -1 : index.nodeOf(index.decode(data, valueOff, HprofTypes.OBJECT, 0)));
                packed.set(k, coderOff < 0 ? 0 : index.decode(data, coderOff, HprofTypes.BYTE, 0));
            }
        });
        NodeBits values = new NodeBits(index.objectCount + 1);
        for (long k = 0; k < n; k++) {
            long arr = hashes.get(k);
            if (arr > 0) {
                values.add(arr);
            }
        }
        long m = values.freeze();
        LongPages valueHash = new LongPages(m);
        // -1: the value is no primitive array (its bytes are not hashed)
        IntPages valueShallow = new IntPages(m, Paging.pageBits(), -1, false);
        int idSize = index.idSize;
        scanner.walkHeapParallel(() -> new Visitor() {
            @Override
            public void primitiveArray(long id, int type, long recordOffset, long length, HprofInput in) throws IOException {
                long v = index.nodeOf(id);
                if (!values.contains(v)) {
                    return;
                }
                byte[] raw = in.bytes((int) Math.min(length * HprofTypes.sizeInDump(type, idSize), HASHED_BYTES));
                long h = FNV_BASIS;
                for (byte b : raw) {
                    h = (h ^ (b & 0xff)) * FNV_PRIME;
                }
                h ^= raw.length;
                long r = values.rank(v);
                valueHash.set(r, h);
                // the size pass 2 gave this very record (GraphBuilder): no read of the shallow-size index file
                valueShallow.setInt(r, (int) Math.min(Integer.MAX_VALUE,
                        index.sizes.arrayBytes(length, HprofTypes.sizeInDump(type, 8))));
            }
        });
        long k = 0;
        for (long v = 1; v <= index.objectCount && k < n; v++) {
            if (index.classIndex(v) != sc) {
                continue;
            }
            long arr = hashes.get(k);
            long h = FNV_BASIS;
            long size = index.shallow(v);
            if (arr > 0) {
                long r = values.rank(arr);
                int shallow = valueShallow.getInt(r);
                if (shallow >= 0) {
                    h = valueHash.get(r);
                    size += shallow;
                } else {
                    size += index.shallow(arr);
                }
            }
            if (coderOff >= 0) {
                h = h * 31 + packed.get(k);
            }
            hashes.set(k, h);
            if (narrow) {
                packed.set(k, size << 31 | k);
            } else {
                packed.set(k, size);
                ranks.set(k, k);
            }
            k++;
        }
        // the sort's permutation depends on the keys alone, so the groups (and which copy leads each) are the same
        ParallelSort.sort(hashes, packed, ranks, 0, k);
        long wasted = 0;
        long copies = 0;
        // best groups by wasted bytes
        long[] groupWaste = new long[examples];
        long[] groupRank = new long[examples];
        long[] groupCount = new long[examples];
        long i = 0;
        while (i < k) {
            long j = i + 1;
            long w = 0;
            while (j < k && hashes.get(j) == hashes.get(i)) {
                w += narrow ? packed.get(j) >>> 31 : packed.get(j);
                j++;
            }
            if (j - i > 1) {
                wasted += w;
                copies += j - i - 1;
                for (int g = 0; g < examples; g++) {
                    if (w > groupWaste[g]) {
                        System.arraycopy(groupWaste, g, groupWaste, g + 1, examples - g - 1);
                        System.arraycopy(groupRank, g, groupRank, g + 1, examples - g - 1);
                        System.arraycopy(groupCount, g, groupCount, g + 1, examples - g - 1);
                        groupWaste[g] = w;
                        groupRank[g] = narrow ? packed.get(i) & (1L << 31) - 1 : ranks.get(i);
                        groupCount[g] = j - i;
                        break;
                    }
                }
            }
            i = j;
        }
        if (copies == 0) {
            return null;
        }
        List<String> ex = new ArrayList<>();
        for (int g = 0; g < examples && groupWaste[g] > 0; g++) {
            String s = index.stringValue(strings.select(groupRank[g]), 60);
            ex.add(String.format(Locale.ROOT, "%d × \"%s\" wastes %s", groupCount[g], escape(s), Bytes.format(groupWaste[g])));
        }
        return new WasteItem("duplicate-strings", copies + " String copies of equal values waste " + Bytes.format(wasted),
                copies, wasted, ex);
    }

    /** A heap walk's callbacks, all ignored unless overridden. */
    private abstract static class Visitor implements HprofScanner.HeapVisitor {
        @Override
        public void instance(long id, long classId, long recordOffset, int dataBytes, HprofInput in) throws IOException {
        }

        @Override
        public void objectArray(long id, long arrayClassId, long recordOffset, long length, HprofInput in) throws IOException {
        }

        @Override
        public void primitiveArray(long id, int type, long recordOffset, long length) {
        }

        @Override
        public void classDump(long id, long recordOffset) {
        }
    }

    private static String escape(String s) {
        if (s == null) {
            return "?";
        }
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            sb.append(ch < 0x20 ? '·' : ch);
        }
        return sb.toString();
    }

    /**
     * Empty and oversized {@code ArrayList}/{@code HashMap}s. Read in file order like the Strings: the collections'
     * {@code size} and backing array, then the backing arrays' lengths and shallow sizes; the verdicts then go in
     * node order (the examples are the first collections by node).
     */
    private void collections(List<WasteItem> out, int examples) throws IOException {
        int arrayList = classNamed("java.util.ArrayList");
        int hashMap = classNamed("java.util.HashMap");
        NodeBits colls = new NodeBits(index.objectCount + 1);
        for (long v = 1; v <= index.objectCount; v++) {
            int k = index.classIndex(v);
            if (k == arrayList || k == hashMap) {
                colls.add(v);
            }
        }
        long n = colls.freeze();
        if (n == 0) {
            return;
        }
        int[] sizeOff = new int[index.classes.length];
        int[] sizeType = new int[index.classes.length];
        int[] backingOff = new int[index.classes.length];
        int[] backingType = new int[index.classes.length];
        for (int k : new int[] {arrayList, hashMap}) {
            if (k >= 0) {
                ClassInfo c = index.classes[k];
                String backing = k == arrayList ? "elementData" : "table";
                sizeOff[k] = c.fieldOffset("size");
                sizeType[k] = c.fieldType("size");
                backingOff[k] = c.fieldOffset(backing);
                backingType[k] = c.fieldType(backing);
            }
        }
        LongPages sizes = new LongPages(n);
        NodeArray backings = NodeArray.of(n, index.objectCount, -1, false, Paging.pageBits());
        scanner.walkHeapParallel(() -> new Visitor() {
            @Override
            public void instance(long id, long classId, long recordOffset, int dataBytes, HprofInput in) throws IOException {
                long v = index.nodeOf(id);
                if (!colls.contains(v)) {
                    return;
                }
                int k = index.classIndex(v);
                byte[] data = in.bytes(dataBytes);
                long r = colls.rank(v);
                // as HeapIndex.field: a missing field reads as the default (-1 for size, null for the array)
                sizes.set(r, sizeOff[k] < 0 ? -1 : index.decode(data, sizeOff[k], sizeType[k], -1));
                backings.set(r, index.nodeOf(backingOff[k] < 0 ? 0 : index.decode(data, backingOff[k], backingType[k], 0)));
            }
        });
        NodeBits arrays = new NodeBits(index.objectCount + 1);
        for (long r = 0; r < n; r++) {
            long backing = backings.get(r);
            if (sizes.get(r) >= 0 && backing > 0) {
                arrays.add(backing);
            }
        }
        long m = arrays.freeze();
        // -1: no array (HeapIndex.arrayLength's answer for instances and class objects)
        LongPages lengths = new LongPages(m, Paging.pageBits(), -1, false);
        IntPages shallows = new IntPages(m);
        scanner.walkHeapParallel(() -> new Visitor() {
            @Override
            public void objectArray(long id, long arrayClassId, long recordOffset, long length, HprofInput in) {
                record(id, length, index.sizes.refBytes());
            }

            @Override
            public void primitiveArray(long id, int type, long recordOffset, long length, HprofInput in) {
                record(id, length, HprofTypes.sizeInDump(type, 8));
            }

            private void record(long id, long length, int elementBytes) {
                long v = index.nodeOf(id);
                if (!arrays.contains(v) || !index.classOf(v).isArray()) {
                    return;
                }
                long r = arrays.rank(v);
                lengths.set(r, length);
                // the size pass 2 gave this very record (GraphBuilder)
                shallows.setInt(r, (int) Math.min(Integer.MAX_VALUE, index.sizes.arrayBytes(length, elementBytes)));
            }
        });
        long emptyCount = 0;
        long emptyBytes = 0;
        long overCount = 0;
        long overBytes = 0;
        List<String> emptyEx = new ArrayList<>();
        List<String> overEx = new ArrayList<>();
        int ref = index.sizes.refBytes();
        long r = 0;
        for (long v = 1; v <= index.objectCount && r < n; v++) {
            int k = index.classIndex(v);
            if (k != arrayList && k != hashMap) {
                continue;
            }
            long size = sizes.get(r);
            long backing = backings.get(r);
            r++;
            if (size < 0 || backing <= 0) {
                continue;
            }
            long at = arrays.rank(backing);
            long len = lengths.get(at);
            if (size == 0 && len > 0) {
                emptyCount++;
                emptyBytes += shallows.getInt(at);
                if (emptyEx.size() < examples) {
                    emptyEx.add(index.describe(v) + " holds an empty " + index.describe(backing) + " of " + len + " slots");
                }
            } else if (k == arrayList && len > 2 * size && len - size >= 8) {
                overCount++;
                overBytes += (len - size) * ref;
                if (overEx.size() < examples) {
                    overEx.add(index.describe(v) + " size " + size + ", capacity " + len);
                }
            }
        }
        if (emptyCount > 0) {
            out.add(new WasteItem("empty-collections", emptyCount + " empty ArrayList/HashMap instances keep backing arrays of "
                    + Bytes.format(emptyBytes), emptyCount, emptyBytes, emptyEx));
        }
        if (overCount > 0) {
            out.add(new WasteItem("oversized-collections", overCount + " ArrayLists use less than half their capacity, wasting "
                    + Bytes.format(overBytes), overCount, overBytes, overEx));
        }
    }

    private void boxes(List<WasteItem> out) {
        String[] names = {"java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte", "java.lang.Character",
                "java.lang.Float", "java.lang.Double", "java.lang.Boolean"};
        int[] payload = {4, 8, 2, 1, 2, 4, 8, 1};
        long count = 0;
        long bytes = 0;
        List<String> ex = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            int k = classNamed(names[i]);
            if (k < 0 || index.classes[k].instances == 0) {
                continue;
            }
            ClassInfo c = index.classes[k];
            long w = c.shallowBytes - c.instances * payload[i];
            count += c.instances;
            bytes += w;
            ex.add(c.instances + " × " + c.name + " waste " + Bytes.format(w));
        }
        if (count > 0) {
            out.add(new WasteItem("boxed-primitives", count + " boxed primitives spend " + Bytes.format(bytes)
                    + " beyond the values they box", count, bytes, ex));
        }
    }

    private void sparseArrays(List<WasteItem> out, int examples) throws IOException {
        long count = 0;
        long bytes = 0;
        List<String> ex = new ArrayList<>();
        HeapGraph g = a.graph;
        int ref = index.sizes.refBytes();
        long header = index.sizes.arrayHeaderBytes();
        for (long v = 1; v <= index.objectCount; v++) {
            ClassInfo c = index.classes[index.classIndex(v)];
            // hash tables are sparse by design (load factor); they are not counted as waste here
            if (c.arrayElementType != HprofTypes.OBJECT || index.isClassObject(v) || c.name.endsWith("Node[]")
                    || c.name.endsWith("Entry[]")) {
                continue;
            }
            long capacity = (index.shallow(v) - header) / ref;
            long nonNull = g.outDegree(v);
            if (capacity < 16 || nonNull * 4 >= capacity) {
                continue;
            }
            long len = index.arrayLength(v);
            if (len < 16 || nonNull * 4 >= len) {
                continue;
            }
            count++;
            bytes += (len - nonNull) * ref;
            if (ex.size() < examples) {
                ex.add(index.describe(v) + " " + nonNull + " of " + len + " slots used");
            }
        }
        if (count > 0) {
            out.add(new WasteItem("sparse-arrays", count + " object arrays are less than a quarter full, wasting "
                    + Bytes.format(bytes), count, bytes, ex));
        }
    }

    private int classNamed(String name) {
        for (ClassInfo c : index.classes) {
            if (c.name.equals(name)) {
                return c.index;
            }
        }
        return -1;
    }
}
