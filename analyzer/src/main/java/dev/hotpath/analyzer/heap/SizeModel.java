package dev.hotpath.analyzer.heap;

/**
 * How hotpath counts shallow sizes. HPROF does not record object sizes, so they are modelled on HotSpot's layout:
 *
 * <p>The layout is read from the dump where it tells: {@link SizeCalibration} compares each candidate layout's
 * size of an object with the distance to the next object's address (HotSpot writes addresses as ids, in heap order),
 * which finds compact object headers (JDK 24+, 8 bytes), class pointers that are not compressed (16 bytes),
 * references that are or are not compressed whatever the addresses, and {@code ObjectAlignmentInBytes}. When the
 * addresses say nothing (synthetic dumps), the defaults below apply:
 *
 * <ul>
 *   <li>64-bit dumps (id size 8): object header 12 bytes (mark word + compressed class pointer, on by default in
 *       JDK 17 and 25 whatever the heap size); array header 16 bytes (header + 4-byte length); references 4 bytes
 *       when every object address in the dump lies below 32 GiB (compressed oops, the default for such heaps),
 *       otherwise 8 bytes;</li>
 *   <li>32-bit dumps (id size 4): header 8, array header 12, references 4;</li>
 *   <li>every object is rounded up to 8 bytes; an instance is header + the sum of its fields' sizes (HotSpot's field
 *       layout packs fields into the header gap, so the sum is exact for all but rare padding cases);</li>
 *   <li>a {@code java.lang.Class} object counts header + its static fields (the mirror's own fields are not in the
 *       dump).</li>
 * </ul>
 *
 * <p>Peers differ: NetBeans' profiler library counts 2 ids of header and 8-byte references from the dump's id size
 * (see {@code NetBeansCrossCheckTest}, which compares like with like by analysing with {@link #netbeansLike}).
 */
public record SizeModel(int headerBytes, int arrayHeaderBytes, int refBytes, int alignBytes, boolean wordAlignedArrayBase) {

    /**
     * {@code arrayHeaderBytes} is the array's length offset + 4. Its elements start there, or 8-aligned for 8-byte
     * elements (JDK 22+, JDK-8139457, and 32-bit VMs); {@code wordAlignedArrayBase} says the elements of every array
     * start 8-aligned (JDK 21 and older, which matters only for a 20-byte header: class pointers not compressed).
     */
    public SizeModel(int headerBytes, int arrayHeaderBytes, int refBytes, int alignBytes) {
        this(headerBytes, arrayHeaderBytes, refBytes, alignBytes, false);
    }

    static final long COMPRESSED_OOPS_LIMIT = 32L << 30;

    /** The model inferred from the dump: id size, and whether all addresses fit under the compressed-oops limit. */
    public static SizeModel infer(int idSize, long maxAddress) {
        if (idSize == 4) {
            return new SizeModel(8, 12, 4, 8);
        }
        return new SizeModel(12, 16, maxAddress < COMPRESSED_OOPS_LIMIT ? 4 : 8, 8);
    }

    /** The convention NetBeans' HeapWalker uses (used by the cross-check test). */
    public static SizeModel netbeansLike(int idSize) {
        return new SizeModel(2 * idSize, 2 * idSize + 4, idSize, 1);
    }

    public long align(long bytes) {
        long a = alignBytes;
        return (bytes + a - 1) / a * a;
    }

    /** Size in memory of one field or element of an HPROF basic type. */
    public int valueBytes(int hprofType) {
        return hprofType == dev.hotpath.analyzer.heap.internal.HprofTypes.OBJECT
                ? refBytes : dev.hotpath.analyzer.heap.internal.HprofTypes.sizeInDump(hprofType, 8);
    }

    public long arrayBytes(long length, int elementBytes) {
        // the elements' alignment never exceeds the object alignment (netbeansLike counts unaligned bytes)
        long word = Math.min(8, alignBytes);
        long base = wordAlignedArrayBase || elementBytes == 8 ? (arrayHeaderBytes + word - 1) / word * word : arrayHeaderBytes;
        return align(base + length * elementBytes);
    }
}
