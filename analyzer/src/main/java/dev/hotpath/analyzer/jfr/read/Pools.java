package dev.hotpath.analyzer.jfr.read;

/**
 * A chunk's constant pools: where each entry sits (indexed once, by walking the checkpoint events of the chunk), and
 * its value once asked for (resolved lazily, cached per pool and key, so a stack trace, a class or a thread is one
 * object per chunk). Values are what the JDK's consumer gives: a type of one field and no super type ("simple",
 * e.g. a Symbol) is that field's value; classes, methods, stack traces, frames and threads become this package's
 * views; other structs a {@link StructValue}. A reference to an entry that is itself being resolved (a class loader
 * naming its own class) is {@code null}, as in the consumer; so is a key the pool lacks.
 */
final class Pools {
    private static final byte RESOLVING = 1;
    private static final byte RESOLVED = 2;
    private static final Object NULL = new Object();

    private final Decoder in;
    private final Metadata metadata;
    private Metadata.Type stringType;
    private final Chunk chunk;

    Pools(Chunk chunk, Decoder in, Metadata metadata) {
        this.chunk = chunk;
        this.in = in;
        this.metadata = metadata;
    }

    /**
     * Walks the checkpoint events from the header's constant-pool offset along their deltas: each holds pools (type
     * id, count, then key and value per entry). A key seen twice keeps the value of the checkpoint visited last, as
     * the consumer's pool map does.
     */
    void index(long firstOffset, int chunkSize) {
        long at = firstOffset;
        long delta = -1;
        int guard = 0;
        while (delta != 0) {
            if (at < Chunk.HEADER_BYTES || at >= chunkSize || ++guard > 1_000_000) {
                throw new UnreadableChunkException("checkpoint at " + at + " outside the chunk");
            }
            in.pos = (int) at;
            int size = in.varint();
            long type = in.varlong();
            if (type != 1 || size <= 0) {
                throw new UnreadableChunkException("expected a checkpoint event at " + at);
            }
            in.varlong(); // start
            in.varlong(); // duration
            delta = in.varlong();
            in.u1(); // checkpoint kind (flush, statics, thread...): every pool counts the same here
            int pools = in.varint();
            for (int p = 0; p < pools; p++) {
                long typeId = in.varlong();
                Metadata.Type t = metadata.types.get(typeId);
                if (t == null) {
                    throw new UnreadableChunkException("pool of undeclared type " + typeId);
                }
                int count = in.varint();
                if (count <= 0) {
                    throw new UnreadableChunkException("pool " + t.name + " of " + count + " entries");
                }
                if (t.pool == null) {
                    t.pool = new LongMap();
                }
                LongMap m = t.pool;
                for (int i = 0; i < count; i++) {
                    long key = in.varlong();
                    m.put(key, in.pos);
                    chunk.skipInline(t);
                }
            }
            if (in.pos != at + size) {
                throw new UnreadableChunkException("checkpoint at " + at + " does not end where its size says");
            }
            at += delta;
        }
        for (Metadata.Type t : metadata.types.values()) {
            if (t.name.equals("java.lang.String")) {
                stringType = t;
            }
        }
    }

    String string(long key) {
        Object o = stringType == null ? null : resolve(stringType, key);
        if (o != null && !(o instanceof String)) {
            throw new UnreadableChunkException("string pool entry of another kind");
        }
        return (String) o;
    }

    /**
     * The entry's value. The cached case is all an event pays once its chunk's stacks and threads are resolved,
     * so it stays this small: the JIT inlines it into every handler's event path. The first resolution (a decode
     * that recurses through nested pool references) is {@link #decode}, kept out of that path (see there).
     */
    Object resolve(Metadata.Type t, long key) {
        LongMap m = t.pool;
        if (m == null) {
            return null;
        }
        int slot = m.find(key);
        if (slot < 0) {
            return null;
        }
        Object v = m.objectAt(slot);
        if (v != null) {
            return v == NULL ? null : v;
        }
        return decode(t, m, slot);
    }

    /**
     * Decodes and caches an entry on first use. Kept apart from {@link #resolve}: this call is frequent while a
     * chunk's pools are cold (when the JIT profiles the event path), and inlined there it pulled the whole recursive
     * value decoder (stack trace, frames, methods, classes, symbols) into every compiled event path, which took C2
     * seconds to compile on a dense recording (JfrIngestBench, -XX:+CITime).
     */
    private Object decode(Metadata.Type t, LongMap m, int slot) {
        if (m.state[slot] == RESOLVING) {
            return null;
        }
        m.state[slot] = RESOLVING;
        int saved = in.pos;
        in.pos = m.intAt(slot);
        Object value;
        try {
            value = chunk.inline(t);
        } finally {
            in.pos = saved;
        }
        m.state[slot] = RESOLVED;
        m.objectAt(slot, value == null ? NULL : value);
        return value;
    }
}
