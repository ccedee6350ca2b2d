package dev.hotpath.analyzer.jfr.read;

import dev.hotpath.analyzer.jfr.internal.EventTimes;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RecordedEvent} as a {@link JfrEvent}: the fallback path (a recording hotpath's reader does not
 * understand is read with {@code RecordingFile}) feeds the same handlers through this adapter. Each getter is the
 * same-named {@code RecordedObject} getter; classes, methods, stack traces and threads are converted once per
 * consumer object (the consumer hands out one per constant-pool entry), so identity keeps meaning "same entry".
 */
public final class RecordedView implements JfrEvent {
    /** One per read of a file: the type and value conversions, and the clock of its chunk. */
    public static final class Context {
        private final EventTimes times;
        private final Map<EventType, JfrType> types = new IdentityHashMap<>();
        private final Map<Object, Object> converted = new IdentityHashMap<>();

        public Context(EventTimes times) {
            this.times = times;
        }

        /** The type of {@code e}: one object per consumer type object. */
        public JfrType type(RecordedEvent e) {
            EventType t = e.getEventType();
            JfrType v = types.get(t);
            if (v == null) {
                List<String> names = new ArrayList<>();
                for (ValueDescriptor d : t.getFields()) {
                    names.add(d.getName());
                }
                v = new JfrType(t.getName(), names);
                types.put(t, v);
            }
            return v;
        }

        public JfrEvent view(RecordedEvent e) {
            return new RecordedView(this, type(e), e);
        }

        JfrClass convert(RecordedClass c) {
            if (c == null) {
                return null;
            }
            Object v = converted.get(c);
            if (v == null) {
                String name;
                try {
                    name = c.getName();
                } catch (NullPointerException noName) {
                    name = null; // JfrClass.getName throws the same
                }
                v = new JfrClass(name);
                converted.put(c, v);
            }
            return (JfrClass) v;
        }

        JfrMethod convert(RecordedMethod m) {
            if (m == null) {
                return null;
            }
            Object v = converted.get(m);
            if (v == null) {
                v = new JfrMethod(convert(m.getType()), m.getName());
                converted.put(m, v);
            }
            return (JfrMethod) v;
        }

        JfrStack convert(RecordedStackTrace st) {
            if (st == null) {
                return null;
            }
            Object v = converted.get(st);
            if (v == null) {
                List<RecordedFrame> frames = st.getFrames();
                List<JfrFrame> list = new ArrayList<>(frames.size());
                for (RecordedFrame f : frames) {
                    list.add(f == null ? null
                            : new JfrFrame(convert(f.getMethod()), f.getLineNumber(), f.getType(), f.isJavaFrame()));
                }
                v = new JfrStack(list);
                converted.put(st, v);
            }
            return (JfrStack) v;
        }

        JfrThread convert(RecordedThread t) {
            if (t == null) {
                return null;
            }
            Object v = converted.get(t);
            if (v == null) {
                v = new JfrThread(t.getJavaName(), t.getJavaThreadId());
                converted.put(t, v);
            }
            return (JfrThread) v;
        }
    }

    private final Context context;
    private final JfrType type;
    private final RecordedEvent event;

    private RecordedView(Context context, JfrType type, RecordedEvent event) {
        this.context = context;
        this.type = type;
        this.event = event;
    }

    private String name(int field) {
        if (field < 0 || field >= type.fields().size()) {
            throw new IllegalArgumentException("Attempt to get unknown field " + field + " of " + type.name());
        }
        return type.fields().get(field);
    }

    @Override
    public JfrType type() {
        return type;
    }

    @Override
    public long startNanos() {
        return context.times.startNanos(event);
    }

    @Override
    public long endNanos() {
        return context.times.endNanos(event);
    }

    @Override
    public long durationNanos() {
        return context.times.durationNanos(event);
    }

    @Override
    public long getLong(int field) {
        return event.getLong(name(field));
    }

    @Override
    public int getInt(int field) {
        return event.getInt(name(field));
    }

    @Override
    public float getFloat(int field) {
        return event.getFloat(name(field));
    }

    @Override
    public String getString(int field) {
        return event.getString(name(field));
    }

    @Override
    public long getDurationNanos(int field) {
        return event.getDuration(name(field)).toNanos();
    }

    @Override
    public JfrClass getClass(int field) {
        return context.convert(event.getClass(name(field)));
    }

    @Override
    public JfrThread getThread(int field) {
        return context.convert(event.getThread(name(field)));
    }

    @Override
    public JfrMethod getMethod(int field) {
        Object o = event.getValue(name(field));
        if (o != null && !(o instanceof RecordedMethod)) {
            throw new IllegalArgumentException("field " + name(field) + " is not a method");
        }
        return context.convert((RecordedMethod) o);
    }

    @Override
    public JfrObject getObject(int field) {
        Object o = event.getValue(name(field));
        if (o == null) {
            return null;
        }
        if (!(o instanceof RecordedObject r)) {
            throw new IllegalArgumentException("field " + name(field) + " is not a struct");
        }
        return new JfrObject() {
            @Override
            public long getLong(String f) {
                return r.getLong(f);
            }

            @Override
            public JfrClass getClass(String f) {
                return context.convert(r.getClass(f));
            }
        };
    }

    @Override
    public JfrStack stackTrace() {
        return context.convert(event.getStackTrace());
    }

    @Override
    public JfrThread thread() {
        return context.convert(event.getThread());
    }

    /** A consumer event is its own copy: RecordingFile hands out a new one per event. */
    @Override
    public JfrEvent detach() {
        return this;
    }
}
