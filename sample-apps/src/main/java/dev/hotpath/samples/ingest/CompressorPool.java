package dev.hotpath.samples.ingest;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Reuses {@link Deflater}s — each holds a few hundred KiB of native zlib state that only {@code end()} frees.
 * Every Deflater created is registered in {@code all} so that {@link #close()} can end them at shutdown.
 *
 * <p>Planted fault {@code native-leak}: {@link #release} forgets a finished Deflater instead of resetting and
 * pooling it, so every segment creates a new one; the registry keeps the forgotten ones reachable (no Cleaner
 * ever runs for them) and their native memory grows until shutdown, invisible to the Java heap and to NMT.
 */
final class CompressorPool implements AutoCloseable {
    private final int level;
    private final int maxIdle;
    private final boolean forgetToEnd;
    private final ArrayDeque<Deflater> idle = new ArrayDeque<>();
    private final List<Deflater> all = new ArrayList<>();
    private long created;
    private long ended;

    CompressorPool(int level, int maxIdle, boolean forgetToEnd) {
        this.level = level;
        this.maxIdle = maxIdle;
        this.forgetToEnd = forgetToEnd;
    }

    synchronized Deflater borrow() {
        Deflater d = idle.poll();
        if (d == null) {
            d = new Deflater(level);
            all.add(d);
            created++;
        }
        return d;
    }

    synchronized void release(Deflater d) {
        if (forgetToEnd && d.finished()) {
            return; // "spent" — a fresh one will be made next time; this one is never end()ed
        }
        if (idle.size() < maxIdle) {
            d.reset();
            idle.push(d);
        } else {
            all.remove(d);
            d.end();
            ended++;
        }
    }

    /** Compresses with a pooled Deflater (zlib format). */
    byte[] compress(byte[] data, int length) {
        Deflater d = borrow();
        try {
            d.setInput(data, 0, length);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 3));
            byte[] buf = new byte[16 * 1024];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            release(d);
        }
    }

    synchronized long created() {
        return created;
    }

    synchronized long ended() {
        return ended;
    }

    synchronized long live() {
        return created - ended;
    }

    @Override
    public synchronized void close() {
        for (Deflater d : all) {
            d.end();
            ended++;
        }
        all.clear();
        idle.clear();
    }
}
