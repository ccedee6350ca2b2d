package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.HprofInput;
import dev.hotpath.analyzer.heap.internal.HprofTypes;
import dev.hotpath.analyzer.heap.internal.NodeArray;
import dev.hotpath.analyzer.heap.internal.PackedColumn;

import java.io.IOException;

/**
 * Pass 2 (fill the object table and count references per object) and pass 3 (fill the CSR edge array) over the
 * dump. Arrays are sized once from the counts of the pass before; no per-object allocation. Not thread-safe.
 */
final class GraphBuilder {
    private final HprofScanner scanner;
    private final HeapIndex index;
    private final int idSize;
    private final int[] primitiveClass = new int[12];
    private final int unknownClass;
    /** Outbound reference counts per node, from pass 2 to pass 3 (dropped once they became row starts). */
    private PackedColumn counts;

    GraphBuilder(HprofScanner scanner, HeapIndex index) {
        this.scanner = scanner;
        this.index = index;
        this.idSize = index.idSize;
        this.unknownClass = index.classes.length - 1;
        for (int t = HprofTypes.BOOLEAN; t <= HprofTypes.LONG; t++) {
            primitiveClass[t] = unknownClass;
            for (ClassInfo c : index.classes) {
                if (c.arrayElementType == t) {
                    primitiveClass[t] = c.index;
                    break;
                }
            }
        }
    }

    private int classIndex(long classId) {
        return index.classByObjectId.get(classId, unknownClass);
    }

    private long readId(byte[] b, int off) {
        if (idSize == 8) {
            return ((long) (b[off] & 0xff) << 56) | ((long) (b[off + 1] & 0xff) << 48) | ((long) (b[off + 2] & 0xff) << 40)
                    | ((long) (b[off + 3] & 0xff) << 32) | ((long) (b[off + 4] & 0xff) << 24) | ((b[off + 5] & 0xff) << 16)
                    | ((b[off + 6] & 0xff) << 8) | (b[off + 7] & 0xff);
        }
        return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /**
     * Puts an edge into its row unless the row is full (end: the row's end). Pass 2 sized each row by record; a damaged dump can give two
     * records one id, and their edges must not spill into the next row (ReaderSweepTest; corpus hprof/crash-*).
     */
    private static long put(NodeArray edges, long end, long p, long target) {
        if (p < end) {
            edges.set(p, target);
            return p + 1;
        }
        return p;
    }

    /** A visitor with its own scratch buffer: one per walking thread. */
    private abstract static class Scratch implements HprofScanner.HeapVisitor {
        private byte[] buf = new byte[1 << 16];

        final byte[] buffer(int n) {
            if (buf.length < n) {
                buf = new byte[Math.max(n, buf.length * 2)];
            }
            return buf;
        }
    }

    /**
     * Pass 2: fills classes, shallow sizes, record offsets and per-node outbound counts (index = node). Both
     * passes run on two threads over disjoint halves of the dump: every write goes to the record's own node or row.
     */
    void fillObjects() throws IOException {
        long n = index.objectCount;
        index.cls = dev.hotpath.analyzer.heap.internal.ClassColumn.of(n + 1, index.classes.length);
        // shallow sizes are multiples of the alignment: a char of 8-byte units (or of the alignment) holds nearly all
        index.shallow = PackedColumn.chars(n + 1, index.sizes.alignBytes());
        if (index.validEnd >= 1L << 40) {
            throw new IOException("dumps of 1 TiB and more are not supported (record offsets are kept in 5 bytes)");
        }
        index.offsetLow = new dev.hotpath.analyzer.heap.internal.IntPages(n + 1);
        index.offsetHigh = new dev.hotpath.analyzer.heap.internal.BytePages(n + 1);
        // reference counts, a byte each (most objects hold a few references; the rest go to the column's map)
        PackedColumn counts = PackedColumn.bytes(n + 1);
        this.counts = counts;
        SizeModel sizes = index.sizes;
        scanner.walkHeapParallel(() -> new Scratch() {
            @Override
            public void instance(long id, long classId, long recordOffset, int dataBytes, HprofInput in) throws IOException {
                long k = index.nodeOf(id);
                int c = classIndex(classId);
                ClassInfo ci = index.classes[c];
                set(k, id, c, ci.instanceShallow, recordOffset);
                int refs = 0;
                int[] ro = ci.refOffsets;
                if (ro.length > 0) {
                    byte[] b = buffer(dataBytes);
                    in.readInto(b, dataBytes);
                    for (int off : ro) {
                        if (off >= 0 && off + idSize <= dataBytes && readId(b, off) != 0) {
                            refs++;
                        }
                    }
                }
                counts.set(k, refs);
            }

            @Override
            public void objectArray(long id, long arrayClassId, long recordOffset, long length, HprofInput in) throws IOException {
                long k = index.nodeOf(id);
                int c = classIndex(arrayClassId);
                set(k, id, c, sizes.arrayBytes(length, sizes.refBytes()), recordOffset);
                int refs = 0;
                long left = length;
                while (left > 0) {
                    int chunk = (int) Math.min(left, 8192);
                    byte[] b = buffer(chunk * idSize);
                    in.readInto(b, chunk * idSize);
                    for (int i = 0; i < chunk; i++) {
                        if (readId(b, i * idSize) != 0) {
                            refs++;
                        }
                    }
                    left -= chunk;
                }
                counts.set(k, refs);
            }

            @Override
            public void primitiveArray(long id, int type, long recordOffset, long length) {
                long k = index.nodeOf(id);
                int c = primitiveClass[type];
                set(k, id, c, sizes.arrayBytes(length, HprofTypes.sizeInDump(type, 8)), recordOffset);
                counts.set(k, 0);
            }

            @Override
            public void classDump(long id, long recordOffset) {
                long k = index.nodeOf(id);
                ClassInfo ci = index.classes[index.classByObjectId.get(id, unknownClass)];
                set(k, id, index.classOfClass < 0 ? unknownClass : index.classOfClass, ci.classObjectShallow, recordOffset);
                int refs = ci.loaderId != 0 ? 1 : 0;
                for (int i = 0; i < ci.staticTypes.length; i++) {
                    if (ci.staticTypes[i] == HprofTypes.OBJECT && ci.staticValues[i] != 0) {
                        refs++;
                    }
                }
                counts.set(k, refs);
            }
        });
        // every record's id is in the id index (pass 1 read the same records), so each node was filled
        long total = 0;
        for (long v = 1; v <= n; v++) {
            ClassInfo c = index.classes[index.cls.get(v)];
            c.instances++;
            int s = index.shallow.get(v);
            c.shallowBytes += s;
            total += s;
        }
        index.totalShallow = total;
    }

    private void set(long k, long id, int c, long shallow, long offset) {
        index.cls.set(k, c);
        index.shallow.set(k, (int) Math.min(Integer.MAX_VALUE, shallow));
        index.setOffset(k, offset);
    }

    /** Pass 3: CSR edges from the counts of pass 2. */
    HeapGraph buildEdges() throws IOException {
        PackedColumn counts = this.counts;
        this.counts = null;
        long n = index.objectCount;
        // virtual root -> distinct GC root nodes
        long[] rootNodes = new long[index.rootCount];
        int roots = 0;
        long[] seen = new long[(int) (n >>> 6) + 1];
        for (int i = 0; i < index.rootCount; i++) {
            long node = index.nodeOf(index.rootIds[i]);
            if (node > 0 && (seen[(int) (node >>> 6)] & 1L << node) == 0) {
                seen[(int) (node >>> 6)] |= 1L << node;
                rootNodes[roots++] = node;
            }
        }
        seen = null;
        // the reference count, summed in a long: row starts are ints while it fits (4 bytes per node), else longs
        long sum = roots;
        for (long v = 1; v <= n; v++) {
            sum += counts.get(v);
        }
        NodeArray start = NodeArray.of(n + 2, sum);
        long at = 0;
        for (long v = 0; v <= n; v++) {
            start.set(v, at);
            at += v == 0 ? roots : counts.get(v);
        }
        start.set(n + 1, at);
        counts = null;
        NodeArray edges = NodeArray.of(sum, n);
        for (int i = 0; i < roots; i++) {
            edges.set(i, rootNodes[i]);
        }
        scanner.walkHeapParallel(() -> new Scratch() {
            @Override
            public void instance(long id, long classId, long recordOffset, int dataBytes, HprofInput in) throws IOException {
                long v = index.nodeOf(id);
                if (v < 0) {
                    return;
                }
                long p = start.get(v);
                long end = start.get(v + 1);
                ClassInfo ci = index.classes[index.cls.get(v)];
                int[] ro = ci.refOffsets;
                if (ro.length > 0) {
                    byte[] b = buffer(dataBytes);
                    in.readInto(b, dataBytes);
                    for (int off : ro) {
                        if (off >= 0 && off + idSize <= dataBytes) {
                            long t = readId(b, off);
                            if (t != 0) {
                                p = put(edges, end, p, index.nodeOf(t));
                            }
                        }
                    }
                }
            }

            @Override
            public void objectArray(long id, long arrayClassId, long recordOffset, long length, HprofInput in) throws IOException {
                long v = index.nodeOf(id);
                if (v < 0) {
                    return;
                }
                long p = start.get(v);
                long end = start.get(v + 1);
                long left = length;
                while (left > 0) {
                    int chunk = (int) Math.min(left, 8192);
                    byte[] b = buffer(chunk * idSize);
                    in.readInto(b, chunk * idSize);
                    for (int i = 0; i < chunk; i++) {
                        long t = readId(b, i * idSize);
                        if (t != 0) {
                            p = put(edges, end, p, index.nodeOf(t));
                        }
                    }
                    left -= chunk;
                }
            }

            @Override
            public void primitiveArray(long id, int type, long recordOffset, long length) {
                // no stored edges: the edge to the class is implicit (HeapGraph#classNode)
            }

            @Override
            public void classDump(long id, long recordOffset) {
                long v = index.nodeOf(id);
                if (v < 0) {
                    return;
                }
                long p = start.get(v);
                long end = start.get(v + 1);
                int ciIndex = index.classByObjectId.get(id, -1);
                ClassInfo ci = ciIndex < 0 ? null : index.classes[ciIndex];
                if (ci == null) {
                    return;
                }
                if (ci.loaderId != 0) {
                    p = put(edges, end, p, index.nodeOf(ci.loaderId));
                }
                for (int i = 0; i < ci.staticTypes.length; i++) {
                    if (ci.staticTypes[i] == HprofTypes.OBJECT && ci.staticValues[i] != 0) {
                        p = put(edges, end, p, index.nodeOf(ci.staticValues[i]));
                    }
                }
            }
        });
        // drop references to objects the dump does not hold (-1), shifting rows down in place
        long w = 0;
        long from = start.get(0);
        for (long v = 0; v <= n; v++) {
            long to = start.get(v + 1);
            start.set(v, w);
            for (long i = from; i < to; i++) {
                long t = edges.get(i);
                if (t > 0) {
                    edges.set(w++, t);
                }
            }
            from = to;
        }
        start.set(n + 1, w);
        // no trimmed copy: it would hold the edges twice at this phase's peak; the row starts say where they end
        long[] classNode = new long[index.classes.length];
        for (ClassInfo c : index.classes) {
            classNode[c.index] = c.objectId == 0 ? -1 : index.nodeOf(c.objectId);
        }
        return new HeapGraph(n + 1, start, edges, index, classNode, index.classOfClass);
    }
}
