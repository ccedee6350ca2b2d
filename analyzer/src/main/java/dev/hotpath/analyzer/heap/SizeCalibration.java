package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.HprofTypes;
import dev.hotpath.analyzer.heap.internal.ObjectIdIndex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the object layout from the dump's addresses. HPROF records no sizes and no header layout, but HotSpot writes
 * each object's address as its id, and most objects lie right after another one (the full GC of a live dump
 * compacts; allocation buffers fill upwards): the distance from an object's id to the next higher id in the dump is
 * then the object's size. The next higher id comes from the id index, not from the record order, which follows the
 * collector's heap walk (Shenandoah's walks the object graph). For a sample of objects (the first in the file), each candidate layout (header 8/12/16 bytes, references 4/8, array elements 8-aligned or not,
 * the alignment the ids share) predicts the first object's size; the candidate that predicts the most distances
 * exactly is the JVM's. A wrong candidate predicts some sizes too large or too small, so it matches fewer pairs.
 *
 * <p>Why not the heap size or the JVM flags: the dump records neither. Compressed oops can be on above 32 GiB
 * (heap-based mode, larger alignment) and off below it ({@code -XX:-UseCompressedOops}); compact object headers
 * (JDK 24+) and {@code -XX:-UseCompressedClassPointers} change the header; {@code ObjectAlignmentInBytes} changes
 * the rounding. Dumps whose distances fit no candidate (synthetic ones) keep {@link SizeModel#infer}.
 *
 * <p>Not thread-safe; fed by pass 1, then asked once the id index is complete.
 */
final class SizeCalibration {
    static final int SAMPLES = 1 << 18;
    /** Below this many exact matches, or a quarter of the pairs, the addresses are not trusted. */
    static final int MIN_MATCHES = 256;
    private static final int INSTANCE = -1;

    private final long[] id = new long[SAMPLES];
    private final int[] kind = new int[SAMPLES];
    private final long[] key = new long[SAMPLES];
    private final int[] gap = new int[SAMPLES];
    private int count;
    private long idBits;

    void instance(long id, long classId) {
        next(id, INSTANCE, classId);
    }

    void objectArray(long id, long length) {
        next(id, HprofTypes.OBJECT, length);
    }

    void primitiveArray(long id, int type, long length) {
        next(id, type, length);
    }

    private void next(long objectId, int k, long kk) {
        idBits |= objectId;
        if (count < SAMPLES) {
            id[count] = objectId;
            kind[count] = k;
            key[count] = kk;
            count++;
        }
    }

    /** Each sample's distance to the next object's address (-1 for the last object). */
    private void measureGaps(ObjectIdIndex ids) {
        for (int i = 0; i < count; i++) {
            long next = ids.next(id[i]);
            long d = next - id[i];
            gap[i] = next >= 0 && d > 0 && d < (1 << 30) ? (int) d : -1;
        }
    }

    /** The layout the addresses agree with, or {@code fallback}. */
    SizeModel choose(int idSize, List<ClassInfo> classDumps, ObjectIdIndex ids, SizeModel fallback) {
        if (idSize != 8 || count == 0) {
            return fallback;
        }
        measureGaps(ids);
        Map<Long, ClassInfo> byId = new HashMap<>(classDumps.size() * 2);
        for (ClassInfo c : classDumps) {
            byId.put(c.objectId, c);
        }
        // each sampled instance's field bytes, resolved once: {primitive bytes, reference fields}, null if unknown
        Map<Long, long[]> byClass = new HashMap<>();
        long[][] fields = new long[count][];
        for (int i = 0; i < count; i++) {
            if (kind[i] == INSTANCE) {
                fields[i] = byClass.computeIfAbsent(key[i], id -> fieldCounts(id, byId));
            }
        }
        long lowBit = Long.lowestOneBit(idBits);
        int align = lowBit >= 8 && lowBit <= 256 ? (int) lowBit : 8;
        SizeModel best = fallback;
        int bestMatches = -1;
        for (int a : align == 8 ? new int[] {8} : new int[] {align, 8}) {
            // the default layout first: ties keep it
            SizeModel[] candidates = {
                new SizeModel(12, 16, fallback.refBytes(), a),
                new SizeModel(12, 16, fallback.refBytes() == 4 ? 8 : 4, a),
                new SizeModel(8, 12, 4, a),
                new SizeModel(8, 12, 8, a),
                new SizeModel(16, 20, 4, a, true),
                new SizeModel(16, 20, 8, a, true),
                new SizeModel(16, 20, 4, a, false),
                new SizeModel(16, 20, 8, a, false),
            };
            for (SizeModel m : candidates) {
                int matches = matches(m, fields);
                if (matches > bestMatches) {
                    bestMatches = matches;
                    best = m;
                }
            }
        }
        return bestMatches >= MIN_MATCHES && bestMatches * 4L >= count ? best : fallback;
    }

    private int matches(SizeModel m, long[][] fields) {
        int matches = 0;
        for (int i = 0; i < count; i++) {
            long size;
            if (kind[i] == INSTANCE) {
                long[] f = fields[i];
                if (f == null) {
                    continue;
                }
                size = m.align(m.headerBytes() + f[0] + f[1] * m.refBytes());
            } else {
                int element = kind[i] == HprofTypes.OBJECT ? m.refBytes() : HprofTypes.sizeInDump(kind[i], 8);
                if (element <= 0) {
                    continue;
                }
                size = m.arrayBytes(key[i], element);
            }
            if (size == gap[i]) {
                matches++;
            }
        }
        return matches;
    }

    /** {primitive field bytes, reference fields} of a class and its superclasses, or null if a class is missing. */
    private static long[] fieldCounts(long classId, Map<Long, ClassInfo> byId) {
        long prim = 0;
        long refs = 0;
        int guard = 0;
        for (long id = classId; id != 0 && guard++ < 1000; ) {
            ClassInfo c = byId.get(id);
            if (c == null) {
                return null;
            }
            for (byte t : c.fieldTypes) {
                if (t == HprofTypes.OBJECT) {
                    refs++;
                } else {
                    prim += HprofTypes.sizeInDump(t, 8);
                }
            }
            id = c.superId;
        }
        return new long[] {prim, refs};
    }

    /** A line for the report when the layout differs from the 64-bit default, else null. */
    static String describe(SizeModel m, SizeModel fallback) {
        if (m.equals(fallback)) {
            return null;
        }
        String header = switch (m.headerBytes()) {
            case 8 -> "8-byte object headers (compact object headers)";
            case 16 -> "16-byte object headers (class pointers not compressed)";
            default -> m.headerBytes() + "-byte object headers";
        };
        return "object layout read from the dump's addresses: " + header + ", " + m.refBytes() + "-byte references"
                + (m.refBytes() == 4 ? " (compressed oops)" : "") + ", objects aligned to " + m.alignBytes() + " bytes";
    }
}
