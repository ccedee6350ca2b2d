package dev.hotpath.analyzer.heap;

/**
 * One class of the dump: its CLASS_DUMP record plus what the index derives from it (flattened instance layout,
 * the positions of reference fields inside an instance's data, the shallow size of an instance).
 *
 * <p>Array classes and the primitive array pseudo-classes are ClassInfos too ({@link #arrayElementType} is then
 * set). Mutable while the index is built, read-only afterwards.
 */
public final class ClassInfo {
    public static final int NOT_ARRAY = 0;

    final int index;
    final long objectId;
    String name;
    long superId;
    int superIndex = -1;
    long loaderId;
    /** 0 for an instance class, {@link dev.hotpath.analyzer.heap.internal.HprofTypes#OBJECT} for an object array
     * class, the element type for a primitive array class. */
    int arrayElementType;

    // declared (own) fields as in the dump
    long[] fieldNameIds = new long[0];
    byte[] fieldTypes = new byte[0];
    long[] staticNameIds = new long[0];
    byte[] staticTypes = new byte[0];
    long[] staticValues = new long[0];

    // derived after all classes are read
    String[] staticNames = new String[0];
    /** All instance fields in dump order (own first, then the superclass's), names and types. */
    String[] allFieldNames = new String[0];
    byte[] allFieldTypes = new byte[0];
    int[] allFieldOffsets = new int[0];
    /** Offsets inside the instance data of reference fields the graph follows (Reference.referent excluded). */
    int[] refOffsets = new int[0];
    int dataBytes;
    long instanceShallow;
    long classObjectShallow;

    // histogram
    long instances;
    long shallowBytes;
    long retainedBytes;

    ClassInfo(int index, long objectId) {
        this.index = index;
        this.objectId = objectId;
    }

    public int index() {
        return index;
    }

    public long objectId() {
        return objectId;
    }

    /** Java name: {@code java.lang.String}, {@code java.lang.Object[]}, {@code int[]}. */
    public String name() {
        return name;
    }

    public boolean isArray() {
        return arrayElementType != NOT_ARRAY;
    }

    public long instances() {
        return instances;
    }

    public long shallowBytes() {
        return shallowBytes;
    }

    public long retainedBytes() {
        return retainedBytes;
    }

    /** Position of the named instance field in the instance data (the first match walking up from this class), or -1. */
    public int fieldOffset(String field) {
        for (int i = 0; i < allFieldNames.length; i++) {
            if (allFieldNames[i].equals(field)) {
                return allFieldOffsets[i];
            }
        }
        return -1;
    }

    public int fieldType(String field) {
        for (int i = 0; i < allFieldNames.length; i++) {
            if (allFieldNames[i].equals(field)) {
                return allFieldTypes[i];
            }
        }
        return -1;
    }

    /** Converts an HPROF class name ({@code java/lang/String}, {@code [[I}, {@code [Ljava/lang/Object;}) to Java's. */
    public static String javaName(String vmName) {
        int dims = 0;
        while (dims < vmName.length() && vmName.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return hidden(vmName.replace('/', '.'));
        }
        String elem = vmName.substring(dims);
        String base;
        switch (elem) {
            case "Z": base = "boolean"; break;
            case "C": base = "char"; break;
            case "F": base = "float"; break;
            case "D": base = "double"; break;
            case "B": base = "byte"; break;
            case "S": base = "short"; break;
            case "I": base = "int"; break;
            case "J": base = "long"; break;
            default:
                base = elem.startsWith("L") && elem.endsWith(";")
                        ? elem.substring(1, elem.length() - 1).replace('/', '.') : elem.replace('/', '.');
        }
        return hidden(base) + "[]".repeat(dims);
    }

    /**
     * A hidden class (lambda, method handle form) is written with its suffix as {@code +0x…} because '/' separates
     * packages in a VM name; its Java name, as {@code Class.getName()} and {@code jcmd GC.class_histogram} spell it,
     * has {@code /0x…}.
     */
    private static String hidden(String name) {
        int plus = name.lastIndexOf("+0x");
        if (plus <= 0 || plus + 3 == name.length()) {
            return name;
        }
        for (int i = plus + 3; i < name.length(); i++) {
            if (Character.digit(name.charAt(i), 16) < 0) {
                return name;
            }
        }
        return name.substring(0, plus) + "/" + name.substring(plus + 1);
    }

    @Override
    public String toString() {
        return name;
    }
}
