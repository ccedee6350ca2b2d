package dev.hotpath.samples.gateway;

import dev.hotpath.samples.common.Fault;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Streams a request body into a (temporary) file while computing its MD5. The normal path writes 64 KiB buffers
 * and does not force: durability is the rename, and the page cache is left to do its job.
 *
 * <p>Planted faults, each a plausible bug in such a writer:
 * <ul>
 *   <li>{@code small-writes}: the body is written in {@value #SMALL_CHUNK}-byte unbuffered writes (an "incremental"
 *       writer that forwards every small read of the socket straight to the file);</li>
 *   <li>{@code fsync-per-write}: {@code FileChannel.force} after every write call;</li>
 *   <li>{@code alloc-churn}: the whole body is first collected in a growing {@link ByteArrayOutputStream}, copied
 *       out, and copied again into a fresh "normalized" array before it reaches the disk, each write call through
 *       a fresh {@value #CHURN_SCRATCH}-byte scratch buffer.</li>
 * </ul>
 */
final class BodyWriter {
    static final int BUFFER = 64 * 1024;
    /** alloc-churn's scratch buffer, allocated for every write call: sized for the largest chunk a client may send. */
    static final int CHURN_SCRATCH = 128 * 1024;
    static final int SMALL_CHUNK = 256;

    private final Set<Fault> faults;
    private final GatewayMetrics metrics;

    BodyWriter(Set<Fault> faults, GatewayMetrics metrics) {
        this.faults = faults;
        this.metrics = metrics;
    }

    /** Returns the number of bytes written. */
    long write(InputStream in, Path file, MessageDigest md5) throws IOException {
        boolean small = faults.contains(Fault.SMALL_WRITES);
        boolean force = faults.contains(Fault.FSYNC_PER_WRITE);
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            if (faults.contains(Fault.ALLOC_CHURN)) {
                return writeChurning(in, out, md5, small, force);
            }
            byte[] buf = new byte[small ? SMALL_CHUNK : BUFFER];
            long total = 0;
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                md5.update(buf, 0, n);
                writeOnce(out, buf, 0, n, force);
                total += n;
            }
            return total;
        }
    }

    private long writeChurning(InputStream in, FileOutputStream out, MessageDigest md5, boolean small, boolean force)
            throws IOException {
        ByteArrayOutputStream collected = new ByteArrayOutputStream(); // grows by doubling: many dead arrays
        in.transferTo(collected);
        byte[] body = collected.toByteArray();
        byte[] normalized = new byte[body.length];
        System.arraycopy(body, 0, normalized, 0, body.length);
        metrics.churnBytesAllocated.add(3L * body.length);
        md5.update(normalized);
        int step = small ? SMALL_CHUNK : BUFFER;
        for (int off = 0; off < normalized.length; off += step) {
            int n = Math.min(step, normalized.length - off);
            byte[] scratch = new byte[CHURN_SCRATCH]; // a fresh scratch buffer for every write call, never reused
            metrics.churnBytesAllocated.add(CHURN_SCRATCH);
            System.arraycopy(normalized, off, scratch, 0, n);
            writeOnce(out, scratch, 0, n, force);
        }
        return normalized.length;
    }

    private void writeOnce(FileOutputStream out, byte[] buf, int off, int len, boolean force) throws IOException {
        out.write(buf, off, len);
        metrics.fileWriteCalls.increment();
        if (force) {
            out.getChannel().force(false);
            metrics.forceCalls.increment();
        }
    }
}
