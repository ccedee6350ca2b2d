package dev.hotpath.analyzer.jfr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks of a JFR file, from their headers alone. A recording file is a sequence of self-contained chunks, each
 * starting with a 68-byte header (JFR file format 2.x): magic {@code FLR\0}, major and minor version (u2 each), then
 * big-endian i64s: chunk size, constant-pool offset, metadata offset, start (epoch nanos), duration (nanos), start
 * ticks, ticks per second, and an i32 of feature flags. Reading the headers touches 68 bytes per chunk, so scanning
 * every input before reading events costs nothing measurable.
 *
 * <p>A chunk is identified across files by its start nanos and start ticks: the rotated repository files of a JVM
 * and a {@code JFR.dump} of the same recording hold byte-identical copies of the same chunks.
 */
public final class Chunks {
    static final int HEADER_BYTES = 68;

    /**
     * One chunk. {@code complete} is false for the last chunk of a file cut short (its declared size runs past the
     * file's end) and for a chunk still being written (size 0 in a live repository).
     */
    public record Chunk(Path file, long offset, long size, long startNanos, long durationNanos, long startTicks,
                        boolean complete) {
        /** Same chunk in another file: JFR gives each chunk its own start time and start tick count. */
        public String identity() {
            return startNanos + "/" + startTicks;
        }

        public long endNanos() {
            return startNanos + durationNanos;
        }
    }

    private Chunks() {
    }

    /** The chunks of {@code file} in file order; empty when the file does not start with a chunk header. */
    public static List<Chunk> scan(Path file) throws IOException {
        List<Chunk> out = new ArrayList<>();
        ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            long offset = 0;
            while (length - offset >= HEADER_BYTES) {
                head.clear();
                while (head.hasRemaining() && ch.read(head, offset + head.position()) > 0) {
                    // positional reads until the header is full
                }
                head.flip();
                if (head.getInt(0) != 0x464c5200) { // "FLR\0"
                    break;
                }
                long size = head.getLong(8);
                boolean complete = size >= HEADER_BYTES && offset + size <= length;
                out.add(new Chunk(file, offset, complete ? size : length - offset, head.getLong(32),
                        head.getLong(40), head.getLong(48), complete));
                if (!complete) {
                    break;
                }
                offset += size;
            }
        }
        return out;
    }

    /** Copies the chunks (in the given order) into {@code target}: a valid JFR file, as chunk files concatenate. */
    public static void copy(List<Chunk> chunks, Path target) throws IOException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Chunk c : chunks) {
                try (FileChannel in = FileChannel.open(c.file(), StandardOpenOption.READ)) {
                    long done = 0;
                    while (done < c.size()) {
                        long n = in.transferTo(c.offset() + done, c.size() - done, out);
                        if (n <= 0) {
                            throw new IOException(c.file() + ": chunk at byte " + c.offset() + " ends early");
                        }
                        done += n;
                    }
                }
            }
        }
    }
}
