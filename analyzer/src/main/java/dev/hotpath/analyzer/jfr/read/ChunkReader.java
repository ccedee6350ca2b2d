package dev.hotpath.analyzer.jfr.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * hotpath's own reader of a JFR file of exactly one complete chunk (how {@code JfrIngester} hands chunks to its
 * workers). The chunk is mapped, its metadata parsed and its constant pools indexed, then its records walked in file
 * order as {@code RecordingFile} returns them: each record is a varint size and a varint type id; checkpoints (1),
 * metadata (0) and records of undeclared types are skipped, every event is counted, and only events of the types
 * the sink selects are decoded, into one reused {@link JfrEvent}; the others are skipped by their size. Anything the
 * reader does not understand throws {@link UnreadableChunkException} before or while events are delivered: the
 * caller then discards what it got and reads the file with {@code RecordingFile}.
 */
public final class ChunkReader {
    /** Where the events go. */
    public interface Sink {
        /** Called once per event type of the chunk: what {@link #accept} gets with its events; null skips them. */
        Object select(JfrType type);

        void accept(JfrEvent event, Object selection);

        /** Each event type the chunk's metadata declares, in its order, before the chunk's events. */
        default void declared(long id, String name) {
        }
    }

    /** Chunks up to this size are read onto the heap; bigger ones (a long async-profiler recording) are mapped. */
    private static final long HEAP_CHUNK_BYTES = 64L << 20;

    private static final long KEPT_BUFFER_BYTES = 16L << 20;
    private static final int READ_SLICE_BYTES = 1 << 20;
    /** Bytes past the chunk in its array, for {@link Decoder#varlong}'s fast path (a varint has at most 9). */
    private static final int SLACK_BYTES = 16;
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[0]);

    private ChunkReader() {
    }

    /** Whether hotpath's reader is on ({@code -Dhotpath.jfr.reader=jdk} reads every file with RecordingFile). */
    public static boolean enabled() {
        return !"jdk".equals(System.getProperty("hotpath.jfr.reader"));
    }

    /** Reads the one chunk of {@code file} into {@code sink}; returns the number of events in it. */
    public static long read(Path file, Sink sink) throws IOException {
        return read(file, 0, -1, sink);
    }

    /**
     * Reads the chunk at {@code offset} of {@code file}, of {@code size} bytes (-1: the rest of the file, which must
     * be exactly one chunk), in place: mapped, no copy.
     */
    public static long read(Path file, long offset, long size, Sink sink) throws IOException {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = size < 0 ? ch.size() - offset : size;
            if (length < Chunk.HEADER_BYTES || length > Integer.MAX_VALUE || offset + length > ch.size()) {
                throw new UnreadableChunkException("chunk of " + length + " bytes at " + offset);
            }
            if (length <= HEAP_CHUNK_BYTES) {
                // JFR's chunks are 12 MB by default: on the heap, every read is a plain array access
                // one array per worker thread, reused: nothing read from a chunk keeps a reference to its bytes
                // (up to 16 MB kept per thread; JFR's default chunk is 12 MB)
                byte[] bytes = BUFFER.get();
                if (bytes.length < length + SLACK_BYTES) {
                    bytes = new byte[(int) length + SLACK_BYTES];
                    if (length <= KEPT_BUFFER_BYTES) {
                        BUFFER.set(bytes);
                    }
                }
                buf = ByteBuffer.wrap(bytes, 0, (int) length);
                // in slices: a read into a heap buffer goes through a temporary direct buffer of the read's size,
                // which the JDK allocates and zeroes when its per-thread cache has none as big (a 13 MB chunk
                // cost a fresh, page-faulted 13 MB per worker; JfrIngestBench's profile); 1 MB ones are reused
                while (buf.position() < length) {
                    buf.limit((int) Math.min(length, buf.position() + READ_SLICE_BYTES));
                    if (ch.read(buf, offset + buf.position()) < 0) {
                        throw new UnreadableChunkException("chunk at " + offset + " ends early");
                    }
                }
                buf.flip();
            } else {
                buf = ch.map(FileChannel.MapMode.READ_ONLY, offset, length);
            }
        }
        Chunk chunk = new Chunk(buf);
        Map<Long, Metadata.Type> events = new HashMap<>();
        for (Metadata.Type t : chunk.metadata.eventTypes) {
            events.put(t.id, t);
            sink.declared(t.id, t.name);
        }
        // type ids are small in practice: an array indexed by id, a map beyond it
        int maxDense = 0;
        for (Long id : events.keySet()) {
            if (id >= 0 && id < 65_536) {
                maxDense = (int) Math.max(maxDense, id + 1);
            }
        }
        Metadata.Type[] dense = new Metadata.Type[maxDense];
        Object[] selection = new Object[maxDense];
        events.forEach((id, t) -> {
            if (id >= 0 && id < dense.length) {
                dense[(int) (long) id] = t;
            }
        });
        Map<Long, Object> sparseSelection = new HashMap<>();
        // every type's handlers up front (a lookup per type): no "first event of its type" branch per chunk in the
        // event loop, which the JIT would see taken only at the start of each chunk (see Decoder#varlong)
        for (int id = 0; id < dense.length; id++) {
            if (dense[id] != null) {
                selection[id] = sink.select(dense[id].view);
            }
        }
        ChunkEvent event = new ChunkEvent(chunk);
        Decoder d = new Decoder(buf, chunk.size);
        long count = 0;
        int pos = Chunk.HEADER_BYTES;
        int end = chunk.size;
        while (pos < end) {
            d.pos = pos;
            int record = d.varint();
            if (record <= 0 || record > end - pos) {
                throw new UnreadableChunkException("record of " + record + " bytes at " + pos);
            }
            long typeId = d.varlong();
            Metadata.Type t;
            Object sel;
            if (typeId >= 0 && typeId < dense.length) {
                t = dense[(int) typeId];
                if (t == null) {
                    pos += record;
                    continue;
                }
                sel = selection[(int) typeId];
            } else {
                t = events.get(typeId);
                if (t == null) {
                    pos += record;
                    continue;
                }
                if (!sparseSelection.containsKey(typeId)) {
                    sparseSelection.put(typeId, sink.select(t.view));
                }
                sel = sparseSelection.get(typeId);
            }
            count++;
            if (sel != null) {
                event.load(t, d.pos);
                sink.accept(event, sel);
            }
            pos += record;
        }
        return count;
    }
}
