package dev.hotpath.analyzer.jfr.read;

/**
 * The getters of this reader's events over the boxed value of a field, with the checks and conversions of the
 * consumer's {@code RecordedObject} getters (type-name checks, widening, unsigned values). {@link ChunkEvent}
 * overrides the hot ones with decoding straight from the buffer.
 */
abstract class BaseEvent implements JfrEvent {
    /** The chunk's ticks per nanosecond (its TimeConverter's divisor). */
    final double divisor;
    Metadata.Type type;

    BaseEvent(double divisor) {
        this.divisor = divisor;
    }

    /** The field's value as the consumer holds it. */
    abstract Object value(int i);

    Metadata.Field field(int i) {
        if (i < 0 || i >= type.fields.length) {
            throw new IllegalArgumentException("Attempt to get unknown field " + i + " of " + type.name);
        }
        return type.fields[i];
    }

    @Override
    public JfrType type() {
        return type.view;
    }

    @Override
    public long getLong(int i) {
        Metadata.Field f = field(i);
        return Values.toLong(value(i), f.unsigned, f.name);
    }

    @Override
    public int getInt(int i) {
        Metadata.Field f = field(i);
        return Values.toInt(value(i), f.unsigned, f.name);
    }

    @Override
    public float getFloat(int i) {
        Metadata.Field f = field(i);
        return Values.toFloat(value(i), f.name);
    }

    @Override
    public String getString(int i) {
        return typed(i, "java.lang.String", String.class);
    }

    @Override
    public long getDurationNanos(int i) {
        Metadata.Field f = field(i);
        return Values.durationNanos(value(i), f, divisor);
    }

    @Override
    public JfrClass getClass(int i) {
        return typed(i, "java.lang.Class", JfrClass.class);
    }

    @Override
    public JfrThread getThread(int i) {
        return typed(i, "java.lang.Thread", JfrThread.class);
    }

    @Override
    public JfrMethod getMethod(int i) {
        Object o = value(i);
        if (o != null && !(o instanceof JfrMethod)) {
            throw Values.wrong(field(i).name, "jdk.types.Method");
        }
        return (JfrMethod) o;
    }

    @Override
    public JfrObject getObject(int i) {
        Object o = value(i);
        if (o != null && !(o instanceof JfrObject)) {
            throw Values.wrong(field(i).name, "a struct");
        }
        return (JfrObject) o;
    }

    /** As {@code getTypedValue}: the field's type name must be {@code typeName}; the value that type's object. */
    <T> T typed(int i, String typeName, Class<T> c) {
        Metadata.Field f = field(i);
        if (!f.typeName().equals(typeName)) {
            throw Values.wrong(f.name, typeName);
        }
        Object o = value(i);
        if (o != null && !c.isInstance(o)) {
            throw Values.wrong(f.name, typeName);
        }
        return c.cast(o);
    }

    /** As {@code getTyped(name, class, null)}: null when the type lacks the field or the value is of another kind. */
    <T> T optional(int i, Class<T> c) {
        if (i < 0) {
            return null;
        }
        Object o = value(i);
        return c.isInstance(o) ? c.cast(o) : null;
    }

    @Override
    public JfrStack stackTrace() {
        return optional(type.stackField, JfrStack.class);
    }

    @Override
    public JfrThread thread() {
        return optional(type.threadField, JfrThread.class);
    }

    /** All values decoded now: the copy stays valid, and cannot fail, after the chunk's callback. */
    @Override
    public JfrEvent detach() {
        Object[] values = new Object[type.fields.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(i);
        }
        return new DetachedEvent(divisor, type, values, startNanos(), endNanos(), durationNanos());
    }

    @Override
    public String toString() {
        return type.name;
    }
}
