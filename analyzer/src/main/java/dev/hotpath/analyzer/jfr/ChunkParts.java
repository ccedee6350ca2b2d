package dev.hotpath.analyzer.jfr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Reads the chunks of one or more JFR files in parallel. JFR chunks are self-contained (each has its own constant
 * pools and metadata), so each chunk is read on its own by a worker into its own {@link Digest}: in place by
 * hotpath's chunk reader, or, for a chunk that reader refuses, copied into its own temporary file (under
 * {@code java.io.tmpdir}, never beside the user's file; a file of one chunk is read in place) for RecordingFile. {@link #next} hands the parts back in chunk
 * order, so the caller merges them exactly as a serial read would have seen the events.
 *
 * <p>Memory is bounded by the window: at most {@code 2 × threads} parts are being read or wait to be merged, and
 * all ingests of the JVM together run at most {@link #READERS} consumers at once (the analyzer ingests several
 * artifacts in parallel too). Not thread-safe: one caller thread.
 */
final class ChunkParts implements AutoCloseable {
    /** One file's chunks to read, in order; {@code whole} when they are all of the file. */
    record Source(Path file, List<Chunks.Chunk> chunks, boolean whole) {
        long bytes() {
            long n = 0;
            for (Chunks.Chunk c : chunks) {
                n += c.size();
            }
            return n;
        }
    }

    /** Consecutive chunks of one source. */
    record Part(int source, List<Chunks.Chunk> chunks, boolean wholeFile) {
    }

    /** A part read into its own digest. */
    record Result(Part part, Digest digest, Digest.Outcome outcome) {
    }

    private static final Semaphore READERS = new Semaphore(Math.max(1, JfrIngester.defaultThreads()));

    private final List<Part> parts;
    private final List<Future<Result>> futures = new ArrayList<>();
    private final ExecutorService pool;
    private final int window;
    private int merged;

    ChunkParts(List<Source> sources, int threads) {
        this.parts = split(sources);
        this.window = 2 * threads;
        this.pool = Executors.newFixedThreadPool(Math.min(threads, parts.size()), r -> {
            Thread t = new Thread(r, "hotpath-jfr-chunks");
            t.setDaemon(true);
            return t;
        });
        submitAhead();
    }

    /**
     * One part per chunk, whatever the number of workers: the consumer's parser keeps, per event field, the last
     * constant it resolved, and a serial pass over several chunks reuses it when an event of a later chunk names a
     * stack trace that only an earlier chunk's pool holds (an event in flight at a rotation). A chunk read alone
     * has no such carry-over, so the result would depend on where parts begin; with every chunk read on its own it
     * is the same for 1 worker or 16 (ParallelChunksTest).
     */
    static List<Part> split(List<Source> sources) {
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            for (Chunks.Chunk c : s.chunks()) {
                out.add(new Part(i, List.of(c), s.whole() && s.chunks().size() == 1));
            }
        }
        return out;
    }

    List<Part> parts() {
        return parts;
    }

    /** The source of the part {@link #next} returns. */
    int nextSource() {
        return parts.get(merged).source();
    }

    boolean hasNext() {
        return merged < parts.size();
    }

    /**
     * The next part in chunk order, once read; an I/O failure of the temporary copy is rethrown, and so is a chunk
     * whose records would hang the consumer ({@link JfrIngester#checkRecordSizes(Chunks.Chunk)}).
     */
    Result next() throws IOException, dev.hotpath.analyzer.model.UnusableInputException {
        Future<Result> f = futures.get(merged);
        Result r;
        try {
            r = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading JFR chunks", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof dev.hotpath.analyzer.model.UnusableInputException unusable) {
                throw unusable;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
        futures.set(merged, null);
        merged++;
        submitAhead();
        return r;
    }

    private void submitAhead() {
        while (futures.size() < parts.size() && futures.size() < merged + window) {
            Part p = parts.get(futures.size());
            futures.add(pool.submit(() -> read(p)));
        }
    }

    private static Result read(Part p) throws IOException, dev.hotpath.analyzer.model.UnusableInputException {
        Path file = p.chunks().get(0).file();
        Path copy = null;
        READERS.acquireUninterruptibly();
        try {
            Digest d = new Digest(true);
            // a complete chunk is read in place by hotpath's reader; what it refuses goes the RecordingFile way:
            // records checked (they could hang it), copied into a file of its own unless it is the whole file
            Chunks.Chunk only = p.chunks().size() == 1 ? p.chunks().get(0) : null;
            Digest.Outcome o = only != null && only.complete() ? d.readOwn(file, only.offset(), only.size()) : null;
            if (o == null) {
                for (Chunks.Chunk c : p.chunks()) {
                    JfrIngester.checkRecordSizes(c);
                }
                if (!p.wholeFile()) {
                    copy = Files.createTempFile("hotpath-jfr-part", ".jfr");
                    Chunks.copy(p.chunks(), copy);
                }
                o = d.readConsumer(copy == null ? file : copy);
            }
            return new Result(p, d, o);
        } finally {
            READERS.release();
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException ignored) {
                    // a temp file left in java.io.tmpdir; nothing of the user's is affected
                }
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
