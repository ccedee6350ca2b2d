package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.HprofTypes;
import dev.hotpath.analyzer.heap.internal.SpilledArray;

import java.util.Locale;

/**
 * The JVM's heap fillers: since JDK 19 HotSpot formats dead gaps of the heap (retired TLAB tails, holes a compaction
 * left) as instances of {@code jdk.internal.vm.FillerObject} and of the filler array class
 * {@code [Ljdk/internal/vm/FillerElement;} (JDK 19 and 20: {@code jdk.internal.vm.FillerArray}), so that the heap stays
 * walkable. A dump from such a JVM holds CLASS_DUMP records for both classes. The filler array is an int array
 * under another class name, and HPROF writes it as a PRIM_ARRAY_DUMP of ints, which names no class: in the dump it
 * is an {@code int[]} that nothing references. Seen on JDK 25 (G1, Parallel and Serial; docs/heap.md): no
 * FillerObject instance, up to thousands of unreachable int[] fillers, the largest of them MiBs of zeros.
 *
 * <p>So when the dump holds the filler array class, every unreachable {@code int[]} is counted as a filler (an int[]
 * garbage object of the program, in a dump that also holds dead objects, cannot be told apart and is counted too),
 * and so is any instance of the filler classes themselves. Fillers leave the histogram (their class's instances and
 * shallow bytes), and are accounted in one note; they retain nothing and are no one's holder, so suspects and
 * waste never see them. A dump without the filler classes (JDK 17 and older) is left as it is.
 */
final class Fillers {
    static final String OBJECT = "jdk.internal.vm.FillerObject";
    static final String ARRAY = "jdk.internal.vm.FillerElement[]";
    /** The filler array's name in JDK 19 and 20. */
    static final String ARRAY_19 = "jdk.internal.vm.FillerArray";

    private Fillers() {
    }

    /** Counts the fillers into {@link HeapIndex#fillerCount}/{@link HeapIndex#fillerBytes} and out of their classes. */
    static void account(HeapIndex index, Dominators d) {
        int object = -1;
        int array = -1;
        int intArray = -1;
        for (ClassInfo c : index.classes) {
            if (c.name.equals(OBJECT)) {
                object = c.index;
            } else if (c.name.equals(ARRAY) || c.name.equals(ARRAY_19)) {
                array = c.index;
            } else if (c.arrayElementType == HprofTypes.INT && intArray < 0) {
                intArray = c.index;
            }
        }
        if (object < 0 && array < 0) {
            return;
        }
        int unreachableInts = array >= 0 ? intArray : -1;
        long count = 0;
        long bytes = 0;
        long ints = 0;
        long intBytes = 0;
        SpilledArray.Window dfnum = d.predecessors.dfnum().window();
        for (long v = 1; v <= index.objectCount; v++) {
            int k = index.classIndex(v);
            if (k == unreachableInts && dfnum.get(v) < 0) {
                ints++;
                intBytes += index.shallow(v);
            }
        }
        for (int k : new int[] {object, array}) {
            if (k >= 0) {
                ClassInfo c = index.classes[k];
                count += c.instances;
                bytes += c.shallowBytes;
                c.instances = 0;
                c.shallowBytes = 0;
            }
        }
        if (ints > 0) {
            ClassInfo c = index.classes[unreachableInts];
            c.instances -= ints;
            c.shallowBytes -= intBytes;
        }
        index.fillerCount = count + ints;
        index.fillerBytes = bytes + intBytes;
        index.fillerInts = ints;
    }

    /** The report's one line about the fillers, or null when the dump has none. */
    static String note(HeapIndex index) {
        if (index.fillerCount == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%d heap fillers of %s (%d unreachable int[] that the JVM writes for %s, %d %s "
                        + "or %s instances): padding of the JVM's heap gaps, not program data; left out of the histogram, "
                        + "the suspects and the waste",
                index.fillerCount, Bytes.format(index.fillerBytes), index.fillerInts, ARRAY,
                index.fillerCount - index.fillerInts, OBJECT, ARRAY);
    }
}
