package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.HprofInput;
import dev.hotpath.analyzer.heap.internal.HprofTypes;
import dev.hotpath.analyzer.heap.internal.LongIntMap;
import dev.hotpath.analyzer.heap.internal.ObjectIdIndex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The object table of one dump, in parallel primitive arrays indexed by node number. Node 0 is the virtual root
 * (the parent of every GC root); nodes {@code 1..objectCount} are the dump's objects (instances, arrays and class
 * objects) in ascending id order: node = 1 + the id's rank in an {@link ObjectIdIndex} (a paged bitmap of the ids,
 * about one bit per 8 heap bytes), so ids resolve to nodes in O(1) without sorting the table or keeping the ids.
 *
 * <p>Per node pass 2 fills the class index (2 bytes, or 4 with 2^16 classes and more), the shallow size (2: 8-byte
 * units, objects of 512 KiB and more in a map) and the file offset of the object's record (5: an int and a byte); offsets and shallow sizes then go to index files of the analysis's
 * {@link dev.hotpath.analyzer.heap.internal.SpillDir} and are read back through a block cache ({@link #offset},
 * {@link #shallow}). Node numbers are longs and the columns paged ({@link dev.hotpath.analyzer.heap.internal.Paging}),
 * so a dump may hold more than 2^31 objects (the id index ranks past 2^31 too).
 *
 * <p>Read-only after {@link HprofScanner} built it. The object-reading helpers share one file window and are not
 * thread-safe.
 */
public final class HeapIndex {
    final String displayName;
    int idSize;
    SizeModel sizes;
    long timestamp;
    String version;

    ClassInfo[] classes;
    LongIntMap classByObjectId;
    int classOfClass = -1;
    int stringClass = -1;

    long objectCount;
    ObjectIdIndex objectIds;
    dev.hotpath.analyzer.heap.internal.ClassColumn cls;
    /** Shallow sizes while pass 2 fills them (a char in 8-byte units per node, big ones in a map). */
    dev.hotpath.analyzer.heap.internal.PackedColumn shallow;
    // record offsets while pass 2 fills them: 5 bytes per node (low int + high byte), dumps below 1 TiB
    dev.hotpath.analyzer.heap.internal.IntPages offsetLow;
    dev.hotpath.analyzer.heap.internal.BytePages offsetHigh;
    /** The record offsets once spilled to an index file (after pass 2; reports read single objects through it). */
    dev.hotpath.analyzer.heap.internal.SpilledArray offsetFile;
    /** The shallow sizes once spilled (after pass 3; the dominator step streams them, reports read a few). */
    dev.hotpath.analyzer.heap.internal.SpilledArray shallowFile;

    // GC roots as read (an object may be a root several times)
    int rootCount;
    long[] rootIds;
    byte[] rootTags;
    int[] rootThreads;
    int[] rootFrames;

    final Map<Long, String> symbols = new HashMap<>();
    final Map<Integer, Long> threadObjectBySerial = new HashMap<>();
    final Map<Integer, Integer> traceByThreadSerial = new HashMap<>();
    final Map<Integer, long[]> framesByTrace = new HashMap<>();
    final Map<Long, String> frameMethods = new HashMap<>();

    /** The JVM's heap fillers, out of their classes' counts ({@link Fillers}). */
    long fillerCount;
    long fillerBytes;
    /** Of the fillers, the unreachable int[] a dump with the filler array class holds. */
    long fillerInts;

    long truncatedAt = -1;
    /** Set when {@link SizeCalibration} found a layout other than the 64-bit default, for the report's notes. */
    String layoutNote;
    long validEnd;
    long totalShallow;

    private HprofInput reader;

    HeapIndex(String displayName) {
        this.displayName = displayName;
    }

    void attachReader(HprofInput in) {
        this.reader = in;
    }

    HprofInput reader() {
        return reader;
    }

    public String displayName() {
        return displayName;
    }

    public int idSize() {
        return idSize;
    }

    public SizeModel sizes() {
        return sizes;
    }

    public long objectCount() {
        return objectCount;
    }

    public ClassInfo[] classes() {
        return classes;
    }

    public int gcRootCount() {
        return rootCount;
    }

    public long totalShallow() {
        return totalShallow;
    }

    /** Byte offset where the dump was cut, or -1 when it was complete. */
    public long truncatedAt() {
        return truncatedAt;
    }

    public long id(long node) {
        return node <= 0 ? 0 : objectIds.select(node - 1L);
    }

    public ClassInfo classOf(long node) {
        return classes[cls.get(node)];
    }

    public int classIndex(long node) {
        return cls.get(node);
    }

    public long shallow(long node) {
        return shallow != null ? shallow.get(node) : shallowFile.get(node);
    }

    public boolean isClassObject(long node) {
        return node > 0 && cls.get(node) == classOfClass;
    }

    /** The ClassInfo a class object node stands for. */
    public ClassInfo classForClassObject(long node) {
        int idx = classByObjectId.get(id(node), -1);
        return idx < 0 ? null : classes[idx];
    }

    /** File offset of the node's record. */
    long offset(long node) {
        return offsetLow != null ? offsetAt(node) : offsetFile.get(node);
    }

    long offsetAt(long node) {
        return (offsetLow.getInt(node) & 0xffffffffL) | (long) (offsetHigh.get(node) & 0xff) << 32;
    }

    void setOffset(long node, long offset) {
        offsetLow.setInt(node, (int) offset);
        offsetHigh.set(node, (byte) (offset >>> 32));
    }

    /** Writes the shallow sizes to their index file (ints, node order) and drops the column. */
    void spillShallow(dev.hotpath.analyzer.heap.internal.SpillDir dir) throws IOException {
        dev.hotpath.analyzer.heap.internal.SpilledArray.Writer w = dir.writer("shallow", 4);
        for (long v = 0; v <= objectCount; v++) {
            w.add(shallow.get(v));
        }
        shallowFile = w.finish();
        shallow = null;
    }

    /** Writes the record offsets to their index file and drops the arrays. */
    void spillOffsets(dev.hotpath.analyzer.heap.internal.SpillDir dir) throws IOException {
        dev.hotpath.analyzer.heap.internal.SpilledArray.Writer w = dir.writer("offsets", 8);
        for (long v = 0; v <= objectCount; v++) {
            w.add(offsetAt(v));
        }
        offsetFile = w.finish();
        offsetLow = null;
        offsetHigh = null;
    }

    String symbol(long id) {
        String s = symbols.get(id);
        return s == null ? "<symbol 0x" + Long.toHexString(id) + ">" : s;
    }

    /** The node of an object id, or -1 when the dump holds no such object (or id is null). */
    public long nodeOf(long id) {
        if (id == 0) {
            return -1;
        }
        long r = objectIds.rank(id);
        return r < 0 ? -1 : r + 1;
    }

    // ---- reading single objects (reports, holders, waste): random access through the shared window ----

    /** The instance field data of an INSTANCE_DUMP node; empty for other kinds. */
    public byte[] instanceData(long node) throws IOException {
        if (node <= 0 || isClassObject(node) || classOf(node).isArray()) {
            return new byte[0];
        }
        reader.seek(offset(node) + 1);
        reader.id();
        reader.i4();
        reader.id();
        int n = reader.i4();
        return reader.bytes(n);
    }

    /** Reads a field of an instance as a long (an object id for reference fields); {@code missing} when absent. */
    public long field(long node, String name, long missing) throws IOException {
        ClassInfo c = classOf(node);
        int off = c.fieldOffset(name);
        if (off < 0 || isClassObject(node) || c.isArray()) {
            return missing;
        }
        byte[] data = instanceData(node);
        return decode(data, off, c.fieldType(name), missing);
    }

    long decode(byte[] data, int off, int type, long missing) {
        int size = HprofTypes.sizeInDump(type, idSize);
        if (off + size > data.length) {
            return missing;
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (data[off + i] & 0xff);
        }
        if (type == HprofTypes.INT || type == HprofTypes.FLOAT) {
            v = (int) v;
        } else if (type == HprofTypes.BYTE || type == HprofTypes.BOOLEAN) {
            v = (byte) v;
        } else if (type == HprofTypes.SHORT) {
            v = (short) v;
        }
        return v;
    }

    /** Length of an array node, or -1 for a non-array. */
    public long arrayLength(long node) throws IOException {
        if (node <= 0 || isClassObject(node) || !classOf(node).isArray()) {
            return -1;
        }
        reader.seek(offset(node) + 1);
        reader.id();
        reader.i4();
        return reader.u4();
    }

    /** The element ids of an object array (at most {@code max} of them). */
    public long[] arrayElements(long node, int max) throws IOException {
        if (node <= 0 || isClassObject(node) || classOf(node).arrayElementType != HprofTypes.OBJECT) {
            return new long[0];
        }
        reader.seek(offset(node) + 1);
        reader.id();
        reader.i4();
        long len = reader.u4();
        reader.id();
        int n = (int) Math.min(len, max);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = reader.id();
        }
        return out;
    }

    /** The raw bytes of a primitive array (at most {@code maxBytes}), or null for other kinds. */
    public byte[] primitiveArrayBytes(long node, int maxBytes) throws IOException {
        if (node <= 0 || isClassObject(node)) {
            return null;
        }
        int type = classOf(node).arrayElementType;
        if (type == ClassInfo.NOT_ARRAY || type == HprofTypes.OBJECT) {
            return null;
        }
        reader.seek(offset(node) + 1);
        reader.id();
        reader.i4();
        long len = reader.u4();
        reader.u1();
        long bytes = len * HprofTypes.sizeInDump(type, idSize);
        return reader.bytes((int) Math.min(bytes, maxBytes));
    }

    /** The text of a java.lang.String node (JDK 9+ byte[] with coder, or JDK 8 char[]), at most maxChars; else null. */
    public String stringValue(long node, int maxChars) throws IOException {
        if (node <= 0 || cls.get(node) != stringClass) {
            return null;
        }
        ClassInfo c = classOf(node);
        byte[] data = instanceData(node);
        int valueOff = c.fieldOffset("value");
        if (valueOff < 0) {
            return null;
        }
        long arr = nodeOf(decode(data, valueOff, HprofTypes.OBJECT, 0));
        if (arr < 0) {
            return "";
        }
        int type = classOf(arr).arrayElementType;
        int coderOff = c.fieldOffset("coder");
        int coder = coderOff < 0 ? (type == HprofTypes.CHAR ? 1 : 0) : (int) decode(data, coderOff, HprofTypes.BYTE, 0);
        byte[] raw = primitiveArrayBytes(arr, maxChars * 2);
        if (raw == null) {
            return null;
        }
        if (coder == 0) {
            return new String(raw, 0, Math.min(raw.length, maxChars), StandardCharsets.ISO_8859_1);
        }
        // UTF-16: HPROF writes char[] big-endian; a JDK 9+ UTF16 byte[] holds chars in the VM's (little-endian) order
        boolean bigEndian = type == HprofTypes.CHAR;
        int chars = raw.length / 2;
        char[] out = new char[chars];
        for (int i = 0; i < chars; i++) {
            int a = raw[2 * i] & 0xff;
            int b = raw[2 * i + 1] & 0xff;
            out[i] = (char) (bigEndian ? (a << 8 | b) : (b << 8 | a));
        }
        return new String(out);
    }

    /** {@code java.util.ArrayList@0x1234} */
    public String describe(long node) {
        if (node == 0) {
            return "<GC roots>";
        }
        if (isClassObject(node)) {
            ClassInfo c = classForClassObject(node);
            return "class " + (c == null ? "?" : c.name);
        }
        return classOf(node).name + "@0x" + Long.toHexString(id(node));
    }
}
