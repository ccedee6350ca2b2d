package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.HprofInput;
import dev.hotpath.analyzer.heap.internal.LongIntMap;
import dev.hotpath.analyzer.heap.internal.ObjectIdIndex;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.hotpath.analyzer.heap.internal.HprofTypes.*;

/**
 * Reads an HPROF 1.0.1/1.0.2 file sequentially (never loads it) and builds a {@link HeapIndex} in two passes: pass 1
 * reads symbols, classes, stack traces and GC roots and counts objects; pass 2 fills the object table, whose arrays
 * were sized by pass 1, and counts each object's outbound references for the CSR graph. {@link #walkHeap} is the
 * shared record walker; {@link GraphBuilder} uses it for the third pass (edges).
 *
 * <p>A file cut short is read up to the last complete record: {@link HeapIndex#truncatedAt} names the byte offset
 * and the later passes stop at {@link HeapIndex#validEnd}.
 *
 * <p>Not thread-safe.
 */
final class HprofScanner {
    static final int WINDOW = 1 << 20;

    /** Callbacks of {@link #walkHeap}: the input is positioned at the record's payload; reading it is optional. */
    interface HeapVisitor {
        void instance(long id, long classId, long recordOffset, int dataBytes, HprofInput in) throws IOException;

        void objectArray(long id, long arrayClassId, long recordOffset, long length, HprofInput in) throws IOException;

        void primitiveArray(long id, int type, long recordOffset, long length);

        /** As {@link #primitiveArray(long, int, long, long)}, with the input at the elements (for visitors that read them). */
        default void primitiveArray(long id, int type, long recordOffset, long length, HprofInput in) throws IOException {
            primitiveArray(id, type, recordOffset, length);
        }

        void classDump(long id, long recordOffset);
    }

    private final Path file;
    private final FileChannel channel;
    private final HeapIndex index;
    private long heapStart = -1;
    /** Start offsets of the heap dump (segment) records, in file order: where a parallel walk may split. */
    private long[] segments = new long[64];
    private int segmentCount;

    HprofScanner(Path file, FileChannel channel, HeapIndex index) {
        this.file = file;
        this.channel = channel;
        this.index = index;
    }

    /** Header and pass 1. */
    void readStructure() throws IOException, UnusableInputException {
        HprofInput in = new HprofInput(channel, WINDOW);
        if (in.size() == 0) {
            throw new UnusableInputException(file, "empty file, not an HPROF heap dump");
        }
        byte[] head = new byte[(int) Math.min(32, in.size())];
        in.readInto(head, head.length);
        int nul = -1;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) {
                nul = i;
                break;
            }
        }
        String magic = new String(head, 0, nul < 0 ? head.length : nul, StandardCharsets.ISO_8859_1);
        if (head.length >= 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'R' && head[3] == 0) {
            // the JFR chunk magic: a recording named .hprof, or passed to the wrong command
            throw new UnusableInputException(file, "a JFR recording, not an HPROF heap dump (read it with hotpath analyze)");
        }
        if (nul < 0 || !magic.startsWith("JAVA PROFILE ")) {
            throw new UnusableInputException(file, "not an HPROF heap dump (it does not start with \"JAVA PROFILE 1.0.x\")");
        }
        if (!magic.equals("JAVA PROFILE 1.0.2") && !magic.equals("JAVA PROFILE 1.0.1")) {
            throw new UnusableInputException(file, "unsupported HPROF version \"" + magic + "\" (hotpath reads 1.0.1 and 1.0.2)");
        }
        index.version = magic.substring("JAVA PROFILE ".length());
        in.seek(nul + 1);
        int idSize;
        try {
            idSize = in.i4();
            index.timestamp = in.i8();
        } catch (EOFException e) {
            throw new UnusableInputException(file, in.size(), "truncated inside the HPROF header");
        }
        if (idSize != 4 && idSize != 8) {
            throw new UnusableInputException(file, nul + 1, "unsupported identifier size " + idSize + " (expected 4 or 8)");
        }
        index.idSize = idSize;
        in.idSize(idSize);

        Pass1 p = new Pass1(idSize);
        long recordStart = in.position();
        long lastGood = recordStart;
        try {
            while (in.position() < in.size()) {
                recordStart = in.position();
                int tag = in.u1();
                in.i4();
                long length = in.u4();
                long end = in.position() + length;
                switch (tag) {
                    case STRING: {
                        if (length < idSize || end > in.size()) {
                            // a length shorter than the id or past the file is damage: stop here as at a cut
                            // (ReaderSweepTest; corpus hprof/crash-string-length-*)
                            throw new EOFException();
                        }
                        long id = in.id();
                        byte[] b = in.bytes((int) (length - idSize));
                        index.symbols.put(id, new String(b, StandardCharsets.UTF_8));
                        break;
                    }
                    case LOAD_CLASS: {
                        int serial = in.i4();
                        long classId = in.id();
                        in.i4();
                        long nameId = in.id();
                        p.classNameIds.put(classId, nameId);
                        p.classIdBySerial.put(serial, classId);
                        break;
                    }
                    case STACK_FRAME: {
                        long frameId = in.id();
                        long methodName = in.id();
                        in.id();
                        in.id();
                        int classSerial = in.i4();
                        in.i4();
                        p.frames.put(frameId, new long[] {methodName, classSerial});
                        break;
                    }
                    case STACK_TRACE: {
                        int serial = in.i4();
                        in.i4();
                        int n = in.i4();
                        if (n < 0 || (long) n * idSize > length - 12 || end > in.size()) {
                            throw new EOFException();
                        }
                        long[] frames = new long[n];
                        for (int i = 0; i < n; i++) {
                            frames[i] = in.id();
                        }
                        index.framesByTrace.put(serial, frames);
                        break;
                    }
                    case HEAP_DUMP:
                    case HEAP_DUMP_SEGMENT:
                        if (heapStart < 0) {
                            heapStart = recordStart;
                        }
                        if (segmentCount == segments.length) {
                            segments = java.util.Arrays.copyOf(segments, segmentCount * 2);
                        }
                        segments[segmentCount++] = recordStart;
                        lastGood = readSegment(in, end, p);
                        break;
                    default:
                        break;
                }
                if (end > in.size()) {
                    throw new EOFException();
                }
                in.seek(end);
                lastGood = end;
            }
        } catch (EOFException e) {
            index.truncatedAt = Math.max(lastGood, p.lastSubrecordEnd);
        }
        index.validEnd = index.truncatedAt >= 0 ? index.truncatedAt : in.size();
        if (index.truncatedAt >= 0) {
            // JDK 17 writes the GC roots after every object, JDK 21+ with the classes: a cut dump may have none, and
            // with no roots nothing is reachable. Every class becomes a root, so statics hold what they hold; objects
            // held only by threads or JNI stay unreachable (HeapAnalysis notes it)
            for (ClassInfo c : p.classDumps) {
                p.root(c.objectId, ROOT_ASSUMED_CLASS, 0, -1);
            }
        }
        if (p.objects == 0 && p.classDumps.isEmpty()) {
            if (index.truncatedAt >= 0) {
                throw new UnusableInputException(file, index.truncatedAt, "HPROF file truncated before any heap object");
            }
            throw new UnusableInputException(file, "HPROF file holds no heap dump records (was it written by jcmd GC.heap_dump?)");
        }
        // the ids first: the object layout is read from the distances between them (SizeCalibration)
        index.objectIds = indexIds(p);
        p.finish();
        // node numbers are longs and the columns paged: more than 2^31 objects are fine (HeapIndex)
        index.objectCount = index.objectIds.count();
    }

    /** The id index of pass 1, rebuilt with a finer alignment when some id was not a multiple of 8 (synthetic dumps). */
    private ObjectIdIndex indexIds(Pass1 p) throws IOException {
        for (ClassInfo c : p.classDumps) {
            p.ids.add(c.objectId);
        }
        if (p.ids.aligned()) {
            p.ids.finish();
            return p.ids;
        }
        ObjectIdIndex ids = new ObjectIdIndex(p.ids.shiftFor());
        walkHeap(new HeapVisitor() {
            @Override
            public void instance(long id, long classId, long recordOffset, int dataBytes, HprofInput in) {
                ids.add(id);
            }

            @Override
            public void objectArray(long id, long arrayClassId, long recordOffset, long length, HprofInput in) {
                ids.add(id);
            }

            @Override
            public void primitiveArray(long id, int type, long recordOffset, long length) {
                ids.add(id);
            }

            @Override
            public void classDump(long id, long recordOffset) {
                ids.add(id);
            }
        });
        ids.finish();
        return ids;
    }

    private long readSegment(HprofInput in, long end, Pass1 p) throws IOException {
        int idSize = index.idSize;
        while (in.position() < end) {
            long start = in.position();
            int sub = in.u1();
            switch (sub) {
                case ROOT_UNKNOWN: p.root(in.id(), sub, 0, -1); break;
                case ROOT_JNI_GLOBAL: p.root(in.id(), sub, 0, -1); in.id(); break;
                case ROOT_JNI_LOCAL: p.root(in.id(), sub, in.i4(), in.i4()); break;
                case ROOT_JAVA_FRAME: p.root(in.id(), sub, in.i4(), in.i4()); break;
                case ROOT_NATIVE_STACK: p.root(in.id(), sub, in.i4(), -1); break;
                case ROOT_STICKY_CLASS: p.root(in.id(), sub, 0, -1); break;
                case ROOT_THREAD_BLOCK: p.root(in.id(), sub, in.i4(), -1); break;
                case ROOT_MONITOR_USED: p.root(in.id(), sub, 0, -1); break;
                case ROOT_THREAD_OBJ: {
                    long id = in.id();
                    int threadSerial = in.i4();
                    int traceSerial = in.i4();
                    p.root(id, sub, threadSerial, -1);
                    index.threadObjectBySerial.put(threadSerial, id);
                    index.traceByThreadSerial.put(threadSerial, traceSerial);
                    break;
                }
                case CLASS_DUMP:
                    p.classDumps.add(readClassDump(in));
                    break;
                case INSTANCE_DUMP: {
                    long id = in.id();
                    in.i4();
                    long classId = in.id();
                    long n = in.u4();
                    in.skip(n);
                    p.object(id);
                    p.layout.instance(id, classId);
                    break;
                }
                case OBJ_ARRAY_DUMP: {
                    long id = in.id();
                    in.i4();
                    long n = in.u4();
                    in.skip(idSize + n * idSize);
                    p.object(id);
                    p.layout.objectArray(id, n);
                    break;
                }
                case PRIM_ARRAY_DUMP: {
                    long id = in.id();
                    in.i4();
                    long n = in.u4();
                    int type = in.u1();
                    int size = sizeInDump(type, idSize);
                    if (size < 0) {
                        throw new IOException(file + ": unknown primitive array type " + type + " at byte " + start);
                    }
                    in.skip(n * size);
                    p.primitiveTypes |= 1 << type;
                    p.object(id);
                    p.layout.primitiveArray(id, type, n);
                    break;
                }
                default:
                    throw new IOException(file + ": unknown heap dump sub-record tag 0x" + Integer.toHexString(sub)
                            + " at byte " + start);
            }
            p.lastSubrecordEnd = in.position();
        }
        return in.position();
    }

    private ClassInfo readClassDump(HprofInput in) throws IOException {
        long id = in.id();
        in.i4();
        ClassInfo c = new ClassInfo(-1, id);
        c.superId = in.id();
        c.loaderId = in.id();
        in.id();
        in.id();
        in.id();
        in.id();
        in.i4();
        int cp = in.u2();
        for (int i = 0; i < cp; i++) {
            in.u2();
            in.value(in.u1());
        }
        int statics = in.u2();
        c.staticNameIds = new long[statics];
        c.staticTypes = new byte[statics];
        c.staticValues = new long[statics];
        for (int i = 0; i < statics; i++) {
            c.staticNameIds[i] = in.id();
            c.staticTypes[i] = (byte) in.u1();
            c.staticValues[i] = in.value(c.staticTypes[i]);
        }
        int fields = in.u2();
        c.fieldNameIds = new long[fields];
        c.fieldTypes = new byte[fields];
        for (int i = 0; i < fields; i++) {
            c.fieldNameIds[i] = in.id();
            c.fieldTypes[i] = (byte) in.u1();
        }
        return c;
    }

    private static void skipClassDump(HprofInput in) throws IOException {
        in.id();
        in.i4();
        for (int i = 0; i < 6; i++) {
            in.id();
        }
        in.i4();
        int cp = in.u2();
        for (int i = 0; i < cp; i++) {
            in.u2();
            in.value(in.u1());
        }
        int statics = in.u2();
        for (int i = 0; i < statics; i++) {
            in.id();
            in.value(in.u1());
        }
        int fields = in.u2();
        for (int i = 0; i < fields; i++) {
            in.id();
            in.u1();
        }
    }

    /**
     * Walks every heap object record before {@link HeapIndex#validEnd}. Roots are skipped. After each callback the
     * walker moves to the record's end, whatever the visitor read.
     */
    void walkHeap(HeapVisitor v) throws IOException {
        walkHeap(v, heapStart < 0 ? index.validEnd : heapStart, index.validEnd);
    }

    /**
     * Walks the heap records with two threads when the machine has two cores and the dump has several segments
     * (jcmd writes segments of up to 64 MiB): the first half of the segments, by bytes, on the calling thread, the
     * rest on a second one, each with its own visitor and file window. The visitors must write disjoint places
     * (here: each object's own node and CSR row). Falls back to one sequential walk.
     */
    void walkHeapParallel(java.util.function.Supplier<HeapVisitor> visitors) throws IOException {
        long start = heapStart < 0 ? index.validEnd : heapStart;
        long limit = index.validEnd;
        long middle = start + (limit - start) / 2;
        long split = -1;
        for (int i = 1; i < segmentCount; i++) {
            if (segments[i] >= middle && segments[i] < limit) {
                split = segments[i];
                break;
            }
        }
        // below 64 MiB a second thread saves nothing; the property lets a test force either path on a small dump
        long minBytes = Long.getLong("hotpath.heap.parallelMinBytes", 64L << 20);
        if (split < 0 || Runtime.getRuntime().availableProcessors() < 2 || limit - start < minBytes) {
            walkHeap(visitors.get(), start, limit);
            return;
        }
        long cut = split;
        HeapVisitor second = visitors.get();
        IOException[] failed = new IOException[1];
        RuntimeException[] crashed = new RuntimeException[1];
        Thread t = new Thread(() -> {
            try {
                walkHeap(second, cut, limit);
            } catch (IOException e) {
                failed[0] = e;
            } catch (RuntimeException e) {
                crashed[0] = e;
            }
        }, "hotpath-heap-walk");
        t.setDaemon(true);
        t.start();
        try {
            walkHeap(visitors.get(), start, cut);
        } finally {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while walking the heap");
            }
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        if (crashed[0] != null) {
            throw crashed[0];
        }
    }

    /** Walks the records in {@code [from, limit)}; {@code from} must be a record start. */
    private void walkHeap(HeapVisitor v, long from, long limit) throws IOException {
        HprofInput in = new HprofInput(channel, WINDOW);
        in.idSize(index.idSize);
        int idSize = index.idSize;
        in.seek(from);
        while (in.position() < limit) {
            int tag = in.u1();
            in.i4();
            long length = in.u4();
            long end = Math.min(in.position() + length, limit);
            if (tag != HEAP_DUMP && tag != HEAP_DUMP_SEGMENT) {
                in.seek(end);
                continue;
            }
            while (in.position() < end) {
                long start = in.position();
                int sub = in.u1();
                switch (sub) {
                    case ROOT_UNKNOWN: case ROOT_STICKY_CLASS: case ROOT_MONITOR_USED: in.skip(idSize); break;
                    case ROOT_JNI_GLOBAL: in.skip(2L * idSize); break;
                    case ROOT_JNI_LOCAL: case ROOT_JAVA_FRAME: case ROOT_THREAD_OBJ: in.skip(idSize + 8); break;
                    case ROOT_NATIVE_STACK: case ROOT_THREAD_BLOCK: in.skip(idSize + 4); break;
                    case CLASS_DUMP: {
                        long pos = in.position();
                        long id = in.id();
                        in.seek(pos);
                        skipClassDump(in);
                        v.classDump(id, start);
                        break;
                    }
                    case INSTANCE_DUMP: {
                        long id = in.id();
                        in.i4();
                        long classId = in.id();
                        int n = in.i4();
                        long next = in.position() + (n & 0xffffffffL);
                        v.instance(id, classId, start, n, in);
                        in.seek(next);
                        break;
                    }
                    case OBJ_ARRAY_DUMP: {
                        long id = in.id();
                        in.i4();
                        long n = in.u4();
                        long classId = in.id();
                        long next = in.position() + n * idSize;
                        v.objectArray(id, classId, start, n, in);
                        in.seek(next);
                        break;
                    }
                    case PRIM_ARRAY_DUMP: {
                        long id = in.id();
                        in.i4();
                        long n = in.u4();
                        int type = in.u1();
                        long next = in.position() + n * sizeInDump(type, idSize);
                        v.primitiveArray(id, type, start, n, in);
                        in.seek(next);
                        break;
                    }
                    default:
                        throw new IOException(file + ": unknown heap dump sub-record tag 0x" + Integer.toHexString(sub)
                                + " at byte " + start);
                }
            }
            in.seek(end);
        }
    }

    /** What pass 1 collects before the index's arrays exist. */
    private final class Pass1 {
        final int idSize;
        final Map<Long, Long> classNameIds = new HashMap<>();
        final Map<Integer, Long> classIdBySerial = new HashMap<>();
        final Map<Long, long[]> frames = new HashMap<>();
        final List<ClassInfo> classDumps = new ArrayList<>();
        final SizeCalibration layout = new SizeCalibration();
        long objects;
        long maxId;
        int primitiveTypes;
        long lastSubrecordEnd;
        int roots;
        long[] rootIds = new long[1024];
        byte[] rootTags = new byte[1024];
        int[] rootThreads = new int[1024];
        int[] rootFrames = new int[1024];

        Pass1(int idSize) {
            this.idSize = idSize;
        }

        final ObjectIdIndex ids = new ObjectIdIndex(3);

        void object(long id) {
            objects++;
            maxId = Math.max(maxId, id);
            ids.add(id);
        }

        void root(long id, int tag, int thread, int frame) {
            if (roots == rootIds.length) {
                int n = roots * 2;
                rootIds = java.util.Arrays.copyOf(rootIds, n);
                rootTags = java.util.Arrays.copyOf(rootTags, n);
                rootThreads = java.util.Arrays.copyOf(rootThreads, n);
                rootFrames = java.util.Arrays.copyOf(rootFrames, n);
            }
            rootIds[roots] = id;
            rootTags[roots] = (byte) tag;
            rootThreads[roots] = thread;
            rootFrames[roots] = frame;
            roots++;
        }

        void finish() throws UnusableInputException {
            index.rootCount = roots;
            index.rootIds = rootIds;
            index.rootTags = rootTags;
            index.rootThreads = rootThreads;
            index.rootFrames = rootFrames;
            for (ClassInfo c : classDumps) {
                maxId = Math.max(maxId, c.objectId);
            }
            SizeModel inferred = SizeModel.infer(idSize, maxId);
            index.sizes = layout.choose(idSize, classDumps, index.objectIds, inferred);
            index.layoutNote = SizeCalibration.describe(index.sizes, inferred);
            for (Map.Entry<Long, long[]> f : frames.entrySet()) {
                Long classId = classIdBySerial.get((int) f.getValue()[1]);
                Long nameId = classId == null ? null : classNameIds.get(classId);
                String cn = nameId == null ? "?" : ClassInfo.javaName(index.symbol(nameId));
                index.frameMethods.put(f.getKey(), cn + "." + index.symbol(f.getValue()[0]));
            }
            buildClasses();
        }

        private void buildClasses() {
            List<ClassInfo> all = new ArrayList<>(classDumps.size() + 12);
            LongIntMap byId = new LongIntMap(classDumps.size() + 16);
            for (ClassInfo dumped : classDumps) {
                ClassInfo c = new ClassInfo(all.size(), dumped.objectId);
                c.superId = dumped.superId;
                c.loaderId = dumped.loaderId;
                c.fieldNameIds = dumped.fieldNameIds;
                c.fieldTypes = dumped.fieldTypes;
                c.staticNameIds = dumped.staticNameIds;
                c.staticTypes = dumped.staticTypes;
                c.staticValues = dumped.staticValues;
                Long nameId = classNameIds.get(c.objectId);
                String vmName = nameId == null ? "<class 0x" + Long.toHexString(c.objectId) + ">" : index.symbol(nameId);
                c.name = ClassInfo.javaName(vmName);
                if (vmName.startsWith("[")) {
                    c.arrayElementType = vmName.length() == 2 ? primitiveCode(vmName.charAt(1)) : OBJECT;
                }
                all.add(c);
                byId.put(c.objectId, c.index);
            }
            index.classByObjectId = byId;
            // primitive array classes absent from the dump (older dumps) get pseudo-classes with id 0
            for (int type = BOOLEAN; type <= LONG; type++) {
                if ((primitiveTypes & (1 << type)) != 0 && findByName(all, primitiveName(type) + "[]") < 0) {
                    ClassInfo c = new ClassInfo(all.size(), 0);
                    c.name = primitiveName(type) + "[]";
                    c.arrayElementType = type;
                    all.add(c);
                }
            }
            ClassInfo unknown = new ClassInfo(all.size(), 0);
            unknown.name = "<unknown class>";
            all.add(unknown);
            index.classes = all.toArray(new ClassInfo[0]);
            index.classOfClass = findByName(all, "java.lang.Class");
            index.stringClass = findByName(all, "java.lang.String");
            int reference = findByName(all, "java.lang.ref.Reference");
            SizeModel sizes = index.sizes;
            for (ClassInfo c : index.classes) {
                c.superIndex = byId.get(c.superId, -1);
                c.staticNames = new String[c.staticNameIds.length];
                long staticBytes = 0;
                for (int i = 0; i < c.staticNameIds.length; i++) {
                    c.staticNames[i] = index.symbol(c.staticNameIds[i]);
                    staticBytes += sizes.valueBytes(c.staticTypes[i]);
                }
                c.classObjectShallow = sizes.align(sizes.headerBytes() + staticBytes);
            }
            for (ClassInfo c : index.classes) {
                layout(c, reference);
            }
        }

        private void layout(ClassInfo c, int reference) {
            List<String> names = new ArrayList<>();
            List<Byte> types = new ArrayList<>();
            List<Integer> offs = new ArrayList<>();
            List<Integer> refs = new ArrayList<>();
            int off = 0;
            long fieldBytes = 0;
            int guard = 0;
            for (ClassInfo k = c; k != null && guard++ < 1000; k = k.superIndex < 0 ? null : index.classes[k.superIndex]) {
                for (int i = 0; i < k.fieldNameIds.length; i++) {
                    String name = index.symbol(k.fieldNameIds[i]);
                    int type = k.fieldTypes[i];
                    names.add(name);
                    types.add((byte) type);
                    offs.add(off);
                    boolean weakReferent = k.index == reference && name.equals("referent");
                    if (type == OBJECT && !weakReferent) {
                        refs.add(off);
                    }
                    off += sizeInDump(type, idSize);
                    fieldBytes += index.sizes.valueBytes(type);
                }
            }
            c.allFieldNames = names.toArray(new String[0]);
            c.allFieldTypes = new byte[types.size()];
            c.allFieldOffsets = new int[offs.size()];
            for (int i = 0; i < types.size(); i++) {
                c.allFieldTypes[i] = types.get(i);
                c.allFieldOffsets[i] = offs.get(i);
            }
            c.refOffsets = refs.stream().mapToInt(Integer::intValue).toArray();
            c.dataBytes = off;
            c.instanceShallow = index.sizes.align(index.sizes.headerBytes() + fieldBytes);
        }
    }

    static int findByName(List<ClassInfo> all, String name) {
        for (ClassInfo c : all) {
            if (c.name.equals(name)) {
                return c.index;
            }
        }
        return -1;
    }

    private static int primitiveCode(char c) {
        switch (c) {
            case 'Z': return BOOLEAN;
            case 'C': return CHAR;
            case 'F': return FLOAT;
            case 'D': return DOUBLE;
            case 'B': return BYTE;
            case 'S': return SHORT;
            case 'I': return INT;
            case 'J': return LONG;
            default: return OBJECT;
        }
    }
}
