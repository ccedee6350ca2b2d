package dev.hotpath.analyzer.jfr.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chunk's metadata event: a string table, then an element tree ({@code root → metadata → class → field /
 * annotation / setting}). Each class has an id, a name, an optional super type (events: {@code jdk.jfr.Event}) and
 * fields, each naming its type by id, whether the value is a constant-pool key ({@code constantPool="true"}) and
 * whether it is an array ({@code dimension="1"}). Field annotations say how to read numbers: {@code jdk.jfr.Unsigned},
 * {@code jdk.jfr.Timespan(TICKS|NANOSECONDS|...)}.
 */
final class Metadata {
    /** Value kinds; STRUCT is a class with fields (read field by field, or its one field when "simple"). */
    static final int BOOLEAN = 0;
    static final int BYTE = 1;
    static final int CHAR = 2;
    static final int SHORT = 3;
    static final int INT = 4;
    static final int LONG = 5;
    static final int FLOAT = 6;
    static final int DOUBLE = 7;
    static final int STRING = 8;
    static final int STRUCT = 9;

    /** How a field's value is stepped over: see {@link Field#skip}. */
    static final int SKIP_GENERIC = 0;
    static final int SKIP_VARINT = 1;
    static final int SKIP_BYTE = 2;
    static final int SKIP_FLOAT = 3;
    static final int SKIP_DOUBLE = 4;
    static final int SKIP_STRING = 5;

    /** A field's {@code SKIP_*}: arrays and inline structs take the generic (recursive) way. */
    static int skipOf(Field f) {
        if (f.array) {
            return SKIP_GENERIC;
        }
        if (f.pooled) {
            return SKIP_VARINT;
        }
        return switch (f.type.kind) {
            case BOOLEAN, BYTE -> SKIP_BYTE;
            case CHAR, SHORT, INT, LONG -> SKIP_VARINT;
            case FLOAT -> SKIP_FLOAT;
            case DOUBLE -> SKIP_DOUBLE;
            case STRING -> SKIP_STRING;
            default -> SKIP_GENERIC;
        };
    }

    static final class Type {
        final long id;
        final String name;
        final String superType;
        final List<Field> fieldList = new ArrayList<>();
        Field[] fields;
        int kind;
        /**
         * Declared {@code simpleType} in the metadata (as the consumer's MetadataReader reads it): such a type (a
         * Symbol, a GC name) is read as its one field's value, and its fields' type name is that field's.
         */
        boolean simple;
        boolean event;
        /** Set for event types by the chunk. */
        JfrType view;
        /** This type's constant pool in the chunk, null when it has none. */
        LongMap pool;
        /** Event types: positions of startTime's, duration's, eventThread's and stackTrace's fields (-1: none). */
        int durationField = -1;
        int threadField = -1;
        int stackField = -1;

        Type(long id, String name, String superType) {
            this.id = id;
            this.name = name;
            this.superType = superType;
        }
    }

    static final class Field {
        final String name;
        final long typeId;
        final boolean pooled;
        final boolean array;
        Type type;
        boolean unsigned;
        String timespan;
        /**
         * How an event walk steps over this field ({@code SKIP_*}), set by the chunk for event fields: one small
         * switch per field instead of the recursive {@link Chunk#skip}, which keeps the event walk small to compile.
         */
        int skip = SKIP_GENERIC;

        /** As {@code ValueDescriptor.getTypeName}: a simple type's field reports its one field's type. */
        String typeName() {
            return type.simple ? type.fields[0].typeName() : type.name;
        }

        Field(String name, long typeId, boolean pooled, boolean array) {
            this.name = name;
            this.typeId = typeId;
            this.pooled = pooled;
            this.array = array;
        }
    }

    final Map<Long, Type> types = new HashMap<>();
    final List<Type> eventTypes = new ArrayList<>();

    private static final class Element {
        final String name;
        final Map<String, String> attributes = new HashMap<>();
        final List<Element> children = new ArrayList<>();

        Element(String name) {
            this.name = name;
        }
    }

    /** Parses the metadata event whose payload (after size, type id, start, duration, metadata id) starts at in.pos. */
    static Metadata parse(Decoder in) {
        int count = in.varint();
        if (count < 0 || count > 1_000_000) {
            throw new UnreadableChunkException("metadata string table of " + count + " strings");
        }
        String[] strings = new String[count];
        for (int i = 0; i < count; i++) {
            strings[i] = in.inlineString(null);
        }
        Element root = element(in, strings, 0);
        Metadata m = new Metadata();
        Element meta = null;
        for (Element c : root.children) {
            if (c.name.equals("metadata")) {
                meta = c;
                break;
            }
        }
        if (meta == null) {
            throw new UnreadableChunkException("metadata without a metadata element");
        }
        Map<Long, Element> fieldOwners = new HashMap<>();
        List<Object[]> pending = new ArrayList<>();
        for (Element c : meta.children) {
            if (!c.name.equals("class")) {
                continue;
            }
            Type t = new Type(Long.parseLong(need(c, "id")), need(c, "name"), c.attributes.get("superType"));
            t.simple = c.attributes.containsKey("simpleType") && !"jdk.jfr.Event".equals(t.superType);
            m.types.put(t.id, t);
            for (Element f : c.children) {
                if (f.name.equals("field")) {
                    String dim = f.attributes.get("dimension");
                    if (dim != null && !dim.equals("0") && !dim.equals("1")) {
                        throw new UnreadableChunkException("field of dimension " + dim);
                    }
                    Field fd = new Field(need(f, "name"), Long.parseLong(need(f, "class")),
                            "true".equals(f.attributes.get("constantPool")), "1".equals(dim));
                    t.fieldList.add(fd);
                    pending.add(new Object[] {fd, f});
                }
            }
        }
        fieldOwners.clear();
        for (Type t : m.types.values()) {
            t.fields = t.fieldList.toArray(new Field[0]);
            t.kind = kind(t);
            if (t.simple && t.fields.length != 1) {
                throw new UnreadableChunkException("simple type " + t.name + " of " + t.fields.length + " fields");
            }
            t.event = "jdk.jfr.Event".equals(t.superType);
            if (t.event) {
                m.eventTypes.add(t);
            }
        }
        for (Object[] p : pending) {
            Field fd = (Field) p[0];
            fd.type = m.types.get(fd.typeId);
            if (fd.type == null) {
                throw new UnreadableChunkException("field " + fd.name + " of undeclared type " + fd.typeId);
            }
            for (Element a : ((Element) p[1]).children) {
                if (!a.name.equals("annotation")) {
                    continue;
                }
                Type at = m.types.get(Long.parseLong(need(a, "class")));
                if (at == null) {
                    continue;
                }
                if (at.name.equals("jdk.jfr.Unsigned")) {
                    fd.unsigned = true;
                } else if (at.name.equals("jdk.jfr.Timespan")) {
                    fd.timespan = a.attributes.getOrDefault("value", "NANOSECONDS");
                }
            }
        }
        return m;
    }

    private static int kind(Type t) {
        if (!t.fieldList.isEmpty()) {
            return STRUCT;
        }
        return switch (t.name) {
            case "boolean" -> BOOLEAN;
            case "byte" -> BYTE;
            case "char" -> CHAR;
            case "short" -> SHORT;
            case "int" -> INT;
            case "long" -> LONG;
            case "float" -> FLOAT;
            case "double" -> DOUBLE;
            case "java.lang.String" -> STRING;
            default -> -1; // annotations and the like: never a field's type in a readable recording
        };
    }

    private static String need(Element e, String attribute) {
        String v = e.attributes.get(attribute);
        if (v == null) {
            throw new UnreadableChunkException("metadata " + e.name + " without " + attribute);
        }
        return v;
    }

    private static Element element(Decoder in, String[] strings, int depth) {
        if (depth > 64) {
            throw new UnreadableChunkException("metadata nested too deep");
        }
        Element e = new Element(string(in, strings));
        int attributes = in.varint();
        for (int i = 0; i < attributes; i++) {
            e.attributes.put(string(in, strings), string(in, strings));
        }
        int children = in.varint();
        if (children < 0) {
            throw new UnreadableChunkException("metadata element with " + children + " children");
        }
        for (int i = 0; i < children; i++) {
            e.children.add(element(in, strings, depth + 1));
        }
        return e;
    }

    private static String string(Decoder in, String[] strings) {
        int i = in.varint();
        if (i < 0 || i >= strings.length || strings[i] == null) {
            throw new UnreadableChunkException("metadata string index " + i);
        }
        return strings[i];
    }
}
