package dev.hotpath.analyzer.jfr.read;

/** A struct value of a chunk (an event's nested object or a pool entry of a type without a view of its own). */
final class StructValue implements JfrObject {
    private final Metadata.Type type;
    private final Object[] values;

    StructValue(Metadata.Type type, Object[] values) {
        this.type = type;
        this.values = values;
    }

    private int index(String field) {
        for (int i = 0; i < type.fields.length; i++) {
            if (type.fields[i].name.equals(field)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Attempt to get unknown field \"" + field + "\"");
    }

    @Override
    public long getLong(String field) {
        int i = index(field);
        return Values.toLong(values[i], type.fields[i].unsigned, field);
    }

    @Override
    public JfrClass getClass(String field) {
        int i = index(field);
        Object o = values[i];
        if (o != null && !(o instanceof JfrClass) || !type.fields[i].type.name.equals("java.lang.Class")) {
            throw Values.wrong(field, "java.lang.Class");
        }
        return (JfrClass) o;
    }
}
