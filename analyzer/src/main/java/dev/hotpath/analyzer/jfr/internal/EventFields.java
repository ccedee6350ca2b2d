package dev.hotpath.analyzer.jfr.internal;

import jdk.jfr.EventType;
import jdk.jfr.Unsigned;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A handler's fields of the current event, read by position (see {@link FieldValues}) instead of by name. The
 * positions are worked out once per event type (a chunk's types are a handful of objects) and trusted only after
 * the first event of the type gave the same values both ways. Each getter returns exactly what the same-named
 * {@link RecordedEvent} getter would: a value that is absent, null, of another class than the usual one, or of an
 * {@link Unsigned} field (which the by-name getters widen) is read by name. Not thread-safe: one per handler.
 */
public final class EventFields {
    private static final String STACK_TRACE = "stackTrace";
    private final String[] names;
    private final boolean fast = FieldValues.available();
    private EventType[] types = new EventType[4];
    private int[][] positions = new int[4][];
    private int typeCount;
    private RecordedEvent event;
    private Object[] values;
    private int[] at;

    /** Field names; a getter's {@code field} argument is an index into them. */
    public EventFields(String... names) {
        this.names = Arrays.copyOf(names, names.length + 1);
        this.names[names.length] = STACK_TRACE;
    }

    /** Points the getters at {@code e}. */
    public void load(RecordedEvent e) {
        event = e;
        values = null;
        if (!fast) {
            return;
        }
        EventType t = e.getEventType();
        int[] p = null;
        for (int i = 0; i < typeCount; i++) {
            if (types[i] == t) {
                p = positions[i];
                break;
            }
        }
        values = FieldValues.of(e);
        if (p == null) {
            p = positions(e, values);
            if (typeCount == types.length) {
                types = Arrays.copyOf(types, typeCount * 2);
                positions = Arrays.copyOf(positions, typeCount * 2);
            }
            types[typeCount] = t;
            positions[typeCount++] = p;
        }
        at = p;
    }

    public String getString(int field) {
        Object o = raw(field);
        return o instanceof String s ? s : event.getString(names[field]);
    }

    public long getLong(int field) {
        Object o = raw(field);
        return o instanceof Long l ? l : event.getLong(names[field]);
    }

    public int getInt(int field) {
        Object o = raw(field);
        return o instanceof Integer i ? i : event.getInt(names[field]);
    }

    public RecordedClass getClass(int field) {
        Object o = raw(field);
        return o instanceof RecordedClass c ? c : event.getClass(names[field]);
    }

    public RecordedStackTrace getStackTrace() {
        Object o = raw(names.length - 1);
        return o instanceof RecordedStackTrace st ? st : event.getStackTrace();
    }

    private Object raw(int field) {
        if (values == null) {
            return null;
        }
        int i = at[field];
        return i < 0 || i >= values.length ? null : values[i];
    }

    /**
     * Where each name sits in the event's values, -1 for absent and unsigned fields; all -1 when the values array
     * does not hold what the by-name reads give (another JDK's layout), so the type is read by name.
     */
    private int[] positions(RecordedEvent e, Object[] vals) {
        int[] p = new int[names.length];
        Arrays.fill(p, -1);
        if (vals == null) {
            return p;
        }
        List<ValueDescriptor> fields = e.getFields();
        // JDK 17's events keep startTime and duration as ticks outside the array: it holds the last fields
        int skip = fields.size() - vals.length;
        if (skip < 0) {
            return p;
        }
        for (int f = 0; f < names.length; f++) {
            for (int i = skip; i < fields.size(); i++) {
                ValueDescriptor d = fields.get(i);
                if (d.getName().equals(names[f])) {
                    if (d.getAnnotation(Unsigned.class) == null) {
                        p[f] = i - skip;
                    }
                    break;
                }
            }
        }
        for (int f = 0; f < names.length; f++) {
            if (p[f] >= 0 && !Objects.equals(vals[p[f]], byName(e, names[f]))) {
                Arrays.fill(p, -1);
                return p;
            }
        }
        return p;
    }

    private static Object byName(RecordedEvent e, String name) {
        try {
            return e.getValue(name);
        } catch (RuntimeException unreadable) {
            return unreadable; // equals no value: the type is read by name, which fails as it would have
        }
    }
}
