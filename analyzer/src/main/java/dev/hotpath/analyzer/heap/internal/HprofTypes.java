package dev.hotpath.analyzer.heap.internal;

/** HPROF 1.0.2 tags and basic type codes (the format description shipped with the JDK, {@code hprof_b_spec.h}). */
public final class HprofTypes {
    private HprofTypes() {
    }

    // top-level record tags
    public static final int STRING = 0x01;
    public static final int LOAD_CLASS = 0x02;
    public static final int STACK_FRAME = 0x04;
    public static final int STACK_TRACE = 0x05;
    public static final int HEAP_DUMP = 0x0C;
    public static final int HEAP_DUMP_SEGMENT = 0x1C;
    public static final int HEAP_DUMP_END = 0x2C;

    // heap dump sub-record tags
    public static final int ROOT_UNKNOWN = 0xFF;
    public static final int ROOT_JNI_GLOBAL = 0x01;
    public static final int ROOT_JNI_LOCAL = 0x02;
    public static final int ROOT_JAVA_FRAME = 0x03;
    public static final int ROOT_NATIVE_STACK = 0x04;
    public static final int ROOT_STICKY_CLASS = 0x05;
    public static final int ROOT_THREAD_BLOCK = 0x06;
    public static final int ROOT_MONITOR_USED = 0x07;
    public static final int ROOT_THREAD_OBJ = 0x08;
    /**
     * Not an HPROF tag: a class taken as a GC root because the dump was cut off and its own roots may be missing
     * (JDK 17 writes them after every object).
     */
    public static final int ROOT_ASSUMED_CLASS = 0x09;
    public static final int CLASS_DUMP = 0x20;
    public static final int INSTANCE_DUMP = 0x21;
    public static final int OBJ_ARRAY_DUMP = 0x22;
    public static final int PRIM_ARRAY_DUMP = 0x23;

    // basic types
    public static final int OBJECT = 2;
    public static final int BOOLEAN = 4;
    public static final int CHAR = 5;
    public static final int FLOAT = 6;
    public static final int DOUBLE = 7;
    public static final int BYTE = 8;
    public static final int SHORT = 9;
    public static final int INT = 10;
    public static final int LONG = 11;

    /** Size in the dump of a value of the type; object ids take {@code idSize}. -1 for an unknown type. */
    public static int sizeInDump(int type, int idSize) {
        switch (type) {
            case OBJECT: return idSize;
            case BOOLEAN: case BYTE: return 1;
            case CHAR: case SHORT: return 2;
            case FLOAT: case INT: return 4;
            case DOUBLE: case LONG: return 8;
            default: return -1;
        }
    }

    /** Java name of a primitive array's element type, e.g. {@code int} for type 10. */
    public static String primitiveName(int type) {
        switch (type) {
            case BOOLEAN: return "boolean";
            case CHAR: return "char";
            case FLOAT: return "float";
            case DOUBLE: return "double";
            case BYTE: return "byte";
            case SHORT: return "short";
            case INT: return "int";
            case LONG: return "long";
            default: return "type" + type;
        }
    }

    public static String rootKind(int tag) {
        switch (tag) {
            case ROOT_JNI_GLOBAL: return "JNI global";
            case ROOT_JNI_LOCAL: return "JNI local";
            case ROOT_JAVA_FRAME: return "Java frame";
            case ROOT_NATIVE_STACK: return "native stack";
            case ROOT_STICKY_CLASS: return "system class";
            case ROOT_THREAD_BLOCK: return "thread block";
            case ROOT_MONITOR_USED: return "busy monitor";
            case ROOT_THREAD_OBJ: return "thread";
            case ROOT_ASSUMED_CLASS: return "assumed";
            default: return "unknown root";
        }
    }
}
