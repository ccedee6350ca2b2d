package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.HeapReport.WasteItem;
import dev.hotpath.analyzer.heap.internal.HprofTypes;
import dev.hotpath.analyzer.heap.internal.LongPages;
import dev.hotpath.analyzer.heap.internal.ParallelSort;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The waste finder as it was through session 6, kept as the reference for {@link WasteFileOrderTest}: it reads each
 * String, collection and array where it lies, in node order, through the index's window and the shallow-size index
 * file. {@link Waste} reads the dump in file order instead and must give the very same items.
 */
final class WasteByNode {
    private final HeapIndex index;
    private final HeapAnalysis a;

    WasteByNode(HeapAnalysis a) {
        this.a = a;
        this.index = a.index;
    }

    List<WasteItem> find(int examples) throws IOException {
        List<WasteItem> out = new ArrayList<>();
        WasteItem dup = duplicateStrings(examples);
        if (dup != null) {
            out.add(dup);
        }
        collections(out, examples);
        boxes(out);
        sparseArrays(out, examples);
        out.sort((x, y) -> Long.compare(y.wastedBytes(), x.wastedBytes()));
        return out;
    }

    private WasteItem duplicateStrings(int examples) throws IOException {
        int sc = index.stringClass;
        if (sc < 0 || index.classes[sc].instances < 2) {
            return null;
        }
        // one entry per String, long-indexed and paged: a dump may hold more than 2^31 of them
        long n = index.classes[sc].instances;
        LongPages hashes = new LongPages(n);
        LongPages sizes = new LongPages(n);
        LongPages nodes = new LongPages(n);
        ClassInfo c = index.classes[sc];
        int valueOff = c.fieldOffset("value");
        int coderOff = c.fieldOffset("coder");
        long k = 0;
        for (long v = 1; v <= index.objectCount && k < n; v++) {
            if (index.classIndex(v) != sc) {
                continue;
            }
            byte[] data = index.instanceData(v);
            long arr = valueOff < 0 ? -1 : index.nodeOf(index.decode(data, valueOff, HprofTypes.OBJECT, 0));
            byte[] raw = arr > 0 ? index.primitiveArrayBytes(arr, 1 << 20) : null;
            long h = 0xcbf29ce484222325L;
            if (raw != null) {
                for (byte b : raw) {
                    h = (h ^ (b & 0xff)) * 0x100000001b3L;
                }
                h ^= raw.length;
            }
            if (coderOff >= 0) {
                h = h * 31 + index.decode(data, coderOff, HprofTypes.BYTE, 0);
            }
            hashes.set(k, h);
            sizes.set(k, index.shallow(v) + (arr > 0 ? index.shallow(arr) : 0));
            nodes.set(k, v);
            k++;
        }
        ParallelSort.sort(hashes, sizes, nodes, 0, k);
        long wasted = 0;
        long copies = 0;
        // best groups by wasted bytes
        long[] groupWaste = new long[examples];
        long[] groupNode = new long[examples];
        long[] groupCount = new long[examples];
        long i = 0;
        while (i < k) {
            long j = i + 1;
            long w = 0;
            while (j < k && hashes.get(j) == hashes.get(i)) {
                w += sizes.get(j);
                j++;
            }
            if (j - i > 1) {
                wasted += w;
                copies += j - i - 1;
                for (int g = 0; g < examples; g++) {
                    if (w > groupWaste[g]) {
                        System.arraycopy(groupWaste, g, groupWaste, g + 1, examples - g - 1);
                        System.arraycopy(groupNode, g, groupNode, g + 1, examples - g - 1);
                        System.arraycopy(groupCount, g, groupCount, g + 1, examples - g - 1);
                        groupWaste[g] = w;
                        groupNode[g] = nodes.get(i);
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
            String s = index.stringValue(groupNode[g], 60);
            ex.add(String.format(Locale.ROOT, "%d × \"%s\" wastes %s", groupCount[g], escape(s), Bytes.format(groupWaste[g])));
        }
        return new WasteItem("duplicate-strings", copies + " String copies of equal values waste " + Bytes.format(wasted),
                copies, wasted, ex);
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

    private void collections(List<WasteItem> out, int examples) throws IOException {
        int arrayList = classNamed("java.util.ArrayList");
        int hashMap = classNamed("java.util.HashMap");
        long emptyCount = 0;
        long emptyBytes = 0;
        long overCount = 0;
        long overBytes = 0;
        List<String> emptyEx = new ArrayList<>();
        List<String> overEx = new ArrayList<>();
        int ref = index.sizes.refBytes();
        for (long v = 1; v <= index.objectCount; v++) {
            int k = index.classIndex(v);
            if (k != arrayList && k != hashMap) {
                continue;
            }
            long size = index.field(v, "size", -1);
            long backing = index.nodeOf(index.field(v, k == arrayList ? "elementData" : "table", 0));
            if (size < 0 || backing <= 0) {
                continue;
            }
            long len = index.arrayLength(backing);
            if (size == 0 && len > 0) {
                emptyCount++;
                emptyBytes += index.shallow(backing);
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
