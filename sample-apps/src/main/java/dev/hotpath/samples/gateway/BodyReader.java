package dev.hotpath.samples.gateway;

import dev.hotpath.samples.common.Fault;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Copies a byte range of an object file to a response. The normal path reads sequentially in 64 KiB buffers.
 *
 * <p>Planted faults: {@code random-reads} fetches the range as {@value #BLOCK}-byte positional reads in shuffled
 * order (a "parallel block fetch" that lost its parallelism and kept the shuffle) and assembles them in memory;
 * {@code alloc-churn} reads the whole range into a fresh array and copies it once more before sending.
 */
final class BodyReader {
    static final int BUFFER = 64 * 1024;
    static final int BLOCK = 4 * 1024;

    private final Set<Fault> faults;
    private final GatewayMetrics metrics;

    BodyReader(Set<Fault> faults, GatewayMetrics metrics) {
        this.faults = faults;
        this.metrics = metrics;
    }

    void copy(Path file, long start, long length, OutputStream out) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (faults.contains(Fault.RANDOM_READS)) {
                byte[] assembled = readShuffled(ch, start, length);
                out.write(assembled);
            } else if (faults.contains(Fault.ALLOC_CHURN)) {
                byte[] whole = new byte[(int) length];
                readFully(ch, ByteBuffer.wrap(whole), start);
                byte[] copy = whole.clone();
                metrics.churnBytesAllocated.add(2 * length);
                out.write(copy);
            } else {
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(length, 1)));
                long pos = start;
                long end = start + length;
                while (pos < end) {
                    buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                    int n = ch.read(buf, pos);
                    metrics.fileReadCalls.increment();
                    if (n < 0) {
                        throw new IOException("file shrank while reading: " + file);
                    }
                    out.write(buf.array(), 0, n);
                    pos += n;
                }
            }
        }
        metrics.bytesRead.add(length);
    }

    private byte[] readShuffled(FileChannel ch, long start, long length) throws IOException {
        byte[] assembled = new byte[(int) length];
        int blocks = (int) ((length + BLOCK - 1) / BLOCK);
        int[] order = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            order[i] = i;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = blocks - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int b : order) {
            int off = b * BLOCK;
            int len = (int) Math.min(BLOCK, length - off);
            readFully(ch, ByteBuffer.wrap(assembled, off, len), start + off);
        }
        return assembled;
    }

    private void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            metrics.fileReadCalls.increment();
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }
}
