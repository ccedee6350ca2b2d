package dev.hotpath.analyzer.jfr.read;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One complete chunk in a buffer: its 68-byte header (magic {@code FLR\0}, major/minor version as u2, then as
 * big-endian i64 chunk size, constant-pool offset, metadata offset, start nanos, duration nanos, start ticks, ticks
 * per second, then file state, flag bits), its metadata and its constant pools, and the decoding of values by their
 * metadata type. Only JFR 2.x with compressed integers (flag bit 0) and a finished header (file state 0) is read;
 * anything else is an {@link UnreadableChunkException}. Not thread-safe.
 */
final class Chunk {
    static final int HEADER_BYTES = 68;
    private static final boolean JDK21 = Runtime.version().feature() >= 21;

    final ByteBuffer buf;
    final int size;
    final long startNanos;
    final long startTicks;
    /** As the consumer's TimeConverter: ticks per second as a double, over 1e9. */
    final double divisor;
    final Metadata metadata;
    final Pools pools;
    /** Decodes pool entries and nested values; events have their own. */
    final Decoder in;

    Chunk(ByteBuffer buf) {
        this.buf = buf;
        int limit = buf.limit();
        if (limit < HEADER_BYTES || buf.getInt(0) != 0x464c5200) {
            throw new UnreadableChunkException("no chunk header");
        }
        int major = buf.getShort(4);
        if (major != 2) {
            throw new UnreadableChunkException("JFR version " + major + "." + buf.getShort(6));
        }
        long chunkSize = buf.getLong(8);
        if (chunkSize != limit) {
            throw new UnreadableChunkException("chunk of " + chunkSize + " bytes in " + limit);
        }
        if (buf.get(64) != 0) {
            throw new UnreadableChunkException("chunk header being written (file state " + buf.get(64) + ")");
        }
        if ((buf.get(67) & 1) == 0) {
            throw new UnreadableChunkException("uncompressed integers");
        }
        size = limit;
        long cpOffset = buf.getLong(16);
        long metaOffset = buf.getLong(24);
        startNanos = buf.getLong(32);
        startTicks = buf.getLong(48);
        divisor = ((double) buf.getLong(56)) / 1_000_000_000L;
        if (metaOffset < HEADER_BYTES || metaOffset >= size) {
            throw new UnreadableChunkException("metadata offset " + metaOffset);
        }
        in = new Decoder(buf, size);
        in.pos = (int) metaOffset;
        in.varint(); // size
        if (in.varlong() != 0) {
            throw new UnreadableChunkException("no metadata event at " + metaOffset);
        }
        in.varlong(); // start
        in.varlong(); // duration
        in.varlong(); // metadata id
        metadata = Metadata.parse(in);
        for (Metadata.Type t : metadata.eventTypes) {
            List<String> names = new ArrayList<>();
            for (Metadata.Field f : t.fields) {
                names.add(f.name);
                f.skip = Metadata.skipOf(f);
            }
            t.view = new JfrType(t.name, names);
            t.durationField = t.view.field("duration");
            t.threadField = t.view.field("eventThread");
            t.stackField = t.view.field("stackTrace");
        }
        pools = new Pools(this, in, metadata);
        pools.index(cpOffset, size);
    }

    long nanos(long ticks) {
        return startNanos + (long) ((ticks - startTicks) / divisor);
    }

    /** Skips a value of {@code f} at {@code in}'s position. */
    void skip(Decoder d, Metadata.Field f) {
        if (f.array) {
            int n = d.varint();
            if (n < 0 || n > size) {
                throw new UnreadableChunkException("array of " + n + " elements");
            }
            for (int i = 0; i < n; i++) {
                skipOne(d, f);
            }
        } else {
            skipOne(d, f);
        }
    }

    private void skipOne(Decoder d, Metadata.Field f) {
        if (f.pooled) {
            d.varlong();
        } else {
            skipInline(d, f.type);
        }
    }

    void skipInline(Metadata.Type t) {
        skipInline(in, t);
    }

    void skipInline(Decoder d, Metadata.Type t) {
        switch (t.kind) {
            case Metadata.BOOLEAN, Metadata.BYTE -> d.skip(1);
            case Metadata.CHAR, Metadata.SHORT, Metadata.INT, Metadata.LONG -> d.varlong();
            case Metadata.FLOAT -> d.skip(4);
            case Metadata.DOUBLE -> d.skip(8);
            case Metadata.STRING -> d.skipString();
            case Metadata.STRUCT -> {
                for (Metadata.Field f : t.fields) {
                    skip(d, f);
                }
            }
            default -> throw new UnreadableChunkException("value of type " + t.name);
        }
    }

    /** The value of {@code f} at {@code d}'s position, as the consumer gives it (see {@link Pools}). */
    Object value(Decoder d, Metadata.Field f) {
        if (f.array) {
            int n = d.varint();
            if (n < 0 || n > size) {
                throw new UnreadableChunkException("array of " + n + " elements");
            }
            Object[] a = new Object[n];
            for (int i = 0; i < n; i++) {
                a[i] = one(d, f);
            }
            return a;
        }
        return one(d, f);
    }

    private Object one(Decoder d, Metadata.Field f) {
        if (f.pooled) {
            return pools.resolve(f.type, d.varlong());
        }
        return inline(d, f.type);
    }

    Object inline(Metadata.Type t) {
        return inline(in, t);
    }

    Object inline(Decoder d, Metadata.Type t) {
        switch (t.kind) {
            case Metadata.BOOLEAN:
                return d.u1() != 0;
            case Metadata.BYTE:
                return (byte) d.u1();
            case Metadata.CHAR:
                return (char) d.varlong();
            case Metadata.SHORT:
                return (short) d.varlong();
            case Metadata.INT:
                return (int) d.varlong();
            case Metadata.LONG:
                return d.varlong();
            case Metadata.FLOAT:
                return d.f4();
            case Metadata.DOUBLE:
                return d.f8();
            case Metadata.STRING:
                return d.inlineString(pools);
            case Metadata.STRUCT:
                if (t.simple) {
                    return value(d, t.fields[0]);
                }
                Object[] values = new Object[t.fields.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = value(d, t.fields[i]);
                }
                return factorize(t, values);
            default:
                throw new UnreadableChunkException("value of type " + t.name);
        }
    }

    /** The consumer's typed objects for the types the handlers read; other structs stay generic. */
    private Object factorize(Metadata.Type t, Object[] v) {
        switch (t.name) {
            case "java.lang.Class":
                return new JfrClass(typed(t, v, "name", String.class, null));
            case "jdk.types.Method":
                return new JfrMethod(typed(t, v, "type", JfrClass.class, null), typed(t, v, "name", String.class, null));
            case "jdk.types.StackFrame":
                Integer line = typed(t, v, "lineNumber", Integer.class, -1);
                Boolean java = typed(t, v, "javaFrame", Boolean.class, Boolean.TRUE);
                return new JfrFrame(typed(t, v, "method", JfrMethod.class, null), line == null ? -1 : line,
                        typed(t, v, "type", String.class, null), java == null || java);
            case "jdk.types.StackTrace": {
                Object[] frames = typed(t, v, "frames", Object[].class, null);
                List<JfrFrame> list = new ArrayList<>(frames == null ? 0 : frames.length);
                if (frames != null) {
                    for (Object f : frames) {
                        if (!(f instanceof JfrFrame) && f != null) {
                            throw new UnreadableChunkException("stack frame of another kind");
                        }
                        list.add((JfrFrame) f);
                    }
                }
                return new JfrStack(list);
            }
            case "java.lang.Thread": {
                Long id = typed(t, v, "javaThreadId", Long.class, -1L);
                if (id == null) {
                    throw new UnreadableChunkException("thread without an id");
                }
                long javaId = JDK21 && id == 0 ? -1L : id;
                return new JfrThread(typed(t, v, "javaName", String.class, null), javaId);
            }
            default:
                return new StructValue(t, v);
        }
    }

    /** As {@code RecordedObject.getTyped}: the default for a missing field, the value if of the class, else default. */
    @SuppressWarnings("unchecked")
    static <T> T typed(Metadata.Type t, Object[] v, String name, Class<T> c, T dflt) {
        for (int i = 0; i < t.fields.length; i++) {
            if (t.fields[i].name.equals(name)) {
                Object o = v[i];
                return o == null || c.isInstance(o) ? (T) o : dflt;
            }
        }
        return dflt;
    }

    @Override
    public String toString() {
        return "Chunk" + Arrays.asList(size, startNanos);
    }
}
