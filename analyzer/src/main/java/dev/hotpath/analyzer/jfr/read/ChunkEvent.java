package dev.hotpath.analyzer.jfr.read;

/**
 * The current event of a chunk: where each of its fields starts in the buffer (found by one walk over the record,
 * reusing one offsets array), values decoded on request straight into primitives. Pool references resolve through
 * the chunk's cached pools, so a stack trace or thread is the same object for every event that names it.
 */
final class ChunkEvent extends BaseEvent {
    private final Chunk chunk;
    private final Decoder in;
    private int[] offsets = new int[16];
    private long startTicks;
    private long endTicks;

    ChunkEvent(Chunk chunk) {
        super(chunk.divisor);
        this.chunk = chunk;
        this.in = new Decoder(chunk.buf, chunk.size);
        int most = 0;
        for (Metadata.Type t : chunk.metadata.eventTypes) {
            most = Math.max(most, t.fields.length);
        }
        // as long as the chunk's widest event type: no growth (a rarely taken branch) in the event walk
        offsets = new int[Math.max(16, most)];
    }

    /** Points at the event of {@code t} whose fields start at {@code pos}; walks them to find each one's start. */
    void load(Metadata.Type t, int pos) {
        type = t;
        Metadata.Field[] fs = t.fields;
        if (offsets.length < fs.length) {
            offsets = new int[fs.length * 2];
        }
        Decoder d = in;
        d.pos = pos;
        // as the consumer's EventParser: the first field is the start, the second the duration when the type has one
        offsets[0] = pos;
        startTicks = d.varlong();
        int from = 1;
        endTicks = startTicks;
        if (t.durationField >= 0) {
            offsets[1] = d.pos;
            endTicks += d.varlong();
            from = 2;
        }
        for (int i = from; i < fs.length; i++) {
            offsets[i] = d.pos;
            Metadata.Field f = fs[i];
            switch (f.skip) {
                case Metadata.SKIP_VARINT -> d.skipVarint();
                case Metadata.SKIP_BYTE -> d.skip(1);
                case Metadata.SKIP_FLOAT -> d.skip(4);
                case Metadata.SKIP_DOUBLE -> d.skip(8);
                case Metadata.SKIP_STRING -> d.skipString();
                default -> chunk.skip(d, f);
            }
        }
    }

    @Override
    public long startNanos() {
        return chunk.nanos(startTicks);
    }

    @Override
    public long endNanos() {
        return chunk.nanos(endTicks);
    }

    @Override
    public long durationNanos() {
        return startTicks == endTicks ? 0 : chunk.nanos(endTicks) - chunk.nanos(startTicks);
    }

    @Override
    Object value(int i) {
        Metadata.Field f = field(i);
        if (i == 0) {
            return startTicks;
        }
        if (i == 1 && type.durationField >= 0) {
            return endTicks - startTicks;
        }
        in.pos = offsets[i];
        return chunk.value(in, f);
    }

    /** A plain (not pooled, not array) primitive in the event itself, decodable in place. */
    private boolean plain(Metadata.Field f, int i) {
        return !f.pooled && !f.array && (i > 1 || i == 1 && type.durationField < 0);
    }

    @Override
    public long getLong(int i) {
        Metadata.Field f = field(i);
        if (plain(f, i)) {
            switch (f.type.kind) {
                case Metadata.LONG:
                    in.pos = offsets[i];
                    return in.varlong();
                case Metadata.INT:
                    in.pos = offsets[i];
                    return f.unsigned ? Integer.toUnsignedLong((int) in.varlong()) : (int) in.varlong();
                default:
                    break;
            }
        }
        return super.getLong(i);
    }

    @Override
    public int getInt(int i) {
        Metadata.Field f = field(i);
        if (plain(f, i) && f.type.kind == Metadata.INT) {
            in.pos = offsets[i];
            return (int) in.varlong();
        }
        return super.getInt(i);
    }

    @Override
    public String getString(int i) {
        Metadata.Field f = field(i);
        if (plain(f, i) && f.type.kind == Metadata.STRING) {
            in.pos = offsets[i];
            return in.inlineString(chunk.pools);
        }
        return super.getString(i);
    }

    @Override
    public JfrStack stackTrace() {
        return pooledView(type.stackField, JfrStack.class);
    }

    @Override
    public JfrThread thread() {
        return pooledView(type.threadField, JfrThread.class);
    }

    private <T> T pooledView(int i, Class<T> c) {
        if (i < 0) {
            return null;
        }
        Metadata.Field f = type.fields[i];
        if (f.pooled && !f.array && i > 1) {
            in.pos = offsets[i];
            Object o = chunk.pools.resolve(f.type, in.varlong());
            return c.isInstance(o) ? c.cast(o) : null;
        }
        return optional(i, c);
    }
}
