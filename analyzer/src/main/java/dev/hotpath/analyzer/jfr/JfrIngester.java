package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.jfr.internal.EventTimes;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams a JFR recording event by event with {@link RecordingFile} (never all events in memory) and hands each
 * event to the handlers that declared its type. The chunks of a multi-chunk recording are read in parallel on as
 * many workers as there are cores, each into its own handlers, merged in chunk order (see {@link ChunkParts}). A
 * recording cut mid-chunk is read up to the cut and noted; a file that is not JFR at all is an
 * {@link UnusableInputException}.
 */
public final class JfrIngester implements Ingester {
    private static final byte[] MAGIC = {'F', 'L', 'R', 0};
    /** A JFR 2.x chunk header: magic, version, chunk size, offsets, times, ticks, features. */
    private static final int CHUNK_HEADER_BYTES = 68;

    /** Workers reading chunks in parallel; 1 reads them one after the other (the result is the same). */
    private final int threads;

    /** As many workers as {@code -Dhotpath.jfr.threads}, else as the machine has cores. */
    public JfrIngester() {
        this(defaultThreads());
    }

    /** @param threads workers reading the chunks of a recording in parallel (1: one chunk after the other) */
    public JfrIngester(int threads) {
        this.threads = Math.max(1, threads);
    }

    static int defaultThreads() {
        return Math.max(1, Integer.getInteger("hotpath.jfr.threads", Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.JFR, ArtifactType.ASYNC_PROFILER_JFR);
    }

    /** The handlers run for every recording; each adds at most a summary or two. */
    static List<JfrHandler> handlers(JfrSettings settings) {
        List<JfrHandler> list = new ArrayList<>();
        list.add(new GcHandler(settings));
        list.add(new OldObjectHandler());
        list.add(ProfileHandler.cpu());
        list.add(ProfileHandler.alloc());
        list.add(ProfileHandler.wall());
        list.add(new AllocationHandler());
        list.add(new LockHandler(settings.thresholds()));
        list.add(new ThreadsHandler());
        list.add(new CpuHandler());
        list.add(new ConfigHandler());
        list.add(new IoHandler(settings));
        return list;
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        Path file = artifact.path();
        checkMagic(file);
        List<Chunks.Chunk> chunks = Chunks.scan(file);
        checkChunkAfter(file, chunks);
        Digest digest = new Digest(false);
        Artifact[] hashed = {artifact};
        if (chunks.size() > 1) {
            // each worker checks its chunk's record sizes right before parsing it (ChunkParts.read)
            readParallel(digest, List.of(new ChunkParts.Source(file, chunks, true)), List.of(artifact.sourceName()),
                    java.util.Collections.singletonList(null), ctx, true, fillsFile(file, chunks),
                    () -> hashed[0] = ctx.fingerprinted(artifact));
        } else {
            for (Chunks.Chunk c : chunks) {
                checkRecordSizes(c);
            }
            digest.read(file, artifact.sourceName(), ctx, true);
            hashed[0] = ctx.fingerprinted(artifact);
        }
        digest.finish(hashed[0], ctx);
    }

    /** The pipeline may hand {@link #ingest} an unhashed artifact: it is hashed while the chunks are read. */
    @Override
    public boolean fingerprintsLate() {
        return true;
    }

    /** Work for the calling thread while the workers read the first parts (hashing the file). */
    @FunctionalInterface
    private interface WhileReading {
        void run() throws IOException;
    }

    /**
     * Reads the sources' chunks in parallel, each chunk on its own (see {@link ChunkParts#split}), and merges them
     * in chunk order into {@code digest}, then
     * concludes each source as a serial {@link Digest#read} of it would: the same notes in the same order (a source's
     * {@code preNote} first), and a part that ends at a cut or a damaged chunk ends its source there, the later
     * parts of that file being dropped as a serial read never reaches them. {@code whileReading} runs on the
     * calling thread once the workers have started, before the first merge. {@code wholeFile}: the one source is
     * every chunk of its file, filling it (see {@link Digest#conclude}).
     */
    private void readParallel(Digest digest, List<ChunkParts.Source> sources, List<String> names,
                              List<String> preNotes, IngestContext ctx, boolean alone, boolean wholeFile,
                              WhileReading whileReading)
            throws IOException, UnusableInputException {
        try (ChunkParts parts = new ChunkParts(sources, threads)) {
            whileReading.run();
            for (int s = 0; s < sources.size(); s++) {
                if (preNotes.get(s) != null) {
                    ctx.note(preNotes.get(s));
                }
                if (sources.get(s).chunks().isEmpty()) {
                    continue;
                }
                long events = 0;
                boolean cut = false;
                Exception broken = null;
                boolean stopped = false;
                while (parts.hasNext() && parts.nextSource() == s) {
                    ChunkParts.Result r = parts.next();
                    if (stopped) {
                        continue;
                    }
                    digest.absorb(r.digest());
                    events += r.outcome().events();
                    if (r.outcome().cut() || r.outcome().broken() != null) {
                        cut = r.outcome().cut();
                        broken = r.outcome().broken();
                        stopped = true;
                    }
                }
                digest.conclude(sources.get(s).file(), names.get(s), ctx, alone, events, cut, broken, wholeFile);
            }
        }
    }

    /** Whether the chunks are all complete and end at the file's last byte (nothing after them to read). */
    private static boolean fillsFile(Path file, List<Chunks.Chunk> chunks) throws IOException {
        long end = 0;
        for (Chunks.Chunk c : chunks) {
            if (!c.complete() || c.offset() != end) {
                return false;
            }
            end += c.size();
        }
        return end == Files.size(file);
    }

    /**
     * The JVM a recording came from, as {@code jdk.JVMInformation} names it (pid and JVM start time), so that the
     * rotated files of one JVM's recording, or several dumps of it, are read as one recording. {@code null} for
     * async-profiler's JFR and recordings without that event: those are read alone.
     */
    @Override
    public String processKey(Artifact artifact) throws IOException {
        if (artifact.type() != ArtifactType.JFR) {
            return null;
        }
        try {
            // the probe below is a RecordingFile read: the same guards as ingest's before it
            List<Chunks.Chunk> chunks = Chunks.scan(artifact.path());
            checkChunkAfter(artifact.path(), chunks);
            for (Chunks.Chunk c : chunks) {
                checkRecordSizes(c);
            }
        } catch (UnusableInputException broken) {
            return null; // read alone, where ingest() reports it
        }
        JvmIdentity id = JvmIdentity.probe(artifact.path());
        return id == null ? null : id.key();
    }

    /**
     * Several files of one JVM as one recording: their chunks in time order, each chunk read once however many files
     * hold a copy of it (a {@code JFR.dump} repeats the chunks that the repository files also hold), through one set
     * of handlers, so the summaries (pause counts, the heap-after-GC trend, GC time share) span all files exactly as
     * one recording of the whole run would.
     */
    @Override
    public void ingestTogether(List<Artifact> sameProcess, IngestContext ctx)
            throws IOException, UnusableInputException {
        Artifact first = sameProcess.get(0);
        List<Artifact> ordered = new ArrayList<>(sameProcess);
        Map<Artifact, List<Chunks.Chunk>> chunks = new HashMap<>();
        for (Artifact a : sameProcess) {
            checkMagic(a.path());
            List<Chunks.Chunk> cs = Chunks.scan(a.path());
            checkChunkAfter(a.path(), cs);
            chunks.put(a, cs);
        }
        // earliest first; of files starting with the same chunk, the longest first, so that a whole dump is read
        // in place and the repository files or earlier dumps it covers are skipped rather than copied
        ordered.sort(java.util.Comparator.<Artifact>comparingLong(a -> chunks.get(a).isEmpty() ? Long.MAX_VALUE
                : chunks.get(a).get(0).startNanos()).thenComparing(a -> -chunks.get(a).size()));
        Set<String> seen = new java.util.HashSet<>();
        Digest digest = new Digest(false);
        List<ChunkParts.Source> sources = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> preNotes = new ArrayList<>();
        int read = 0;
        for (Artifact a : ordered) {
            List<Chunks.Chunk> unseen = new ArrayList<>();
            for (Chunks.Chunk c : chunks.get(a)) {
                // an incomplete chunk is read whatever happens: no complete copy of it may exist
                if (!c.complete() || !seen.contains(c.identity())) {
                    unseen.add(c);
                }
            }
            int all = chunks.get(a).size();
            if (unseen.isEmpty()) {
                String note = a.sourceName() + ": all " + all + " chunks are also in other files of this JVM; read once";
                sources.add(new ChunkParts.Source(a.path(), unseen, false)); // a note in its place, nothing to read
                names.add(a.sourceName());
                preNotes.add(note);
                continue;
            }
            String preNote = unseen.size() == all ? null : a.sourceName() + ": " + (all - unseen.size()) + " of "
                    + all + " chunks are also in other files of this JVM; read once";
            // read below, every file's chunks together; the notes keep the order of the files
            sources.add(new ChunkParts.Source(a.path(), unseen, unseen.size() == all));
            names.add(a.sourceName());
            preNotes.add(preNote);
            for (Chunks.Chunk c : unseen) {
                if (c.complete()) {
                    seen.add(c.identity());
                }
            }
            read++;
        }
        Artifact[] hashed = {first};
        if (!sources.isEmpty()) {
            readParallel(digest, sources, names, preNotes, ctx, false, false,
                    () -> hashed[0] = ctx.fingerprinted(first));
        }
        if (digest.count == 0) {
            throw new UnusableInputException(first.path(), "none of the " + sameProcess.size()
                    + " JFR files of this JVM holds a readable event");
        }
        List<String> all = new ArrayList<>();
        ordered.forEach(a -> all.add(a.sourceName()));
        ctx.note(String.join(", ", all) + ": " + sameProcess.size() + " files of one JVM (" + processKey(first)
                + ") read as one recording (" + read + " with chunks of their own, " + seen.size()
                + " distinct chunks)");
        digest.finish(ctx.fingerprinted(hashed[0]), ctx);
    }

    /**
     * The same digest through {@link jdk.jfr.consumer.EventStream#openFile} with one {@code onEvent(name, …)} per event
     * type the handlers need, so that the consumer can skip the other types (kept for the benchmark, which measures
     * whether it does). The recording's time range is taken from the events read, and a cut file ends the stream
     * with an exception, so the {@link RecordingFile} path above stays the default.
     */
    public void ingestStreaming(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        Path file = artifact.path();
        checkMagic(file);
        JfrSettings settings = new JfrSettings();
        List<JfrHandler> handlers = handlers(settings);
        // several chunks: the times come from the public getters
        dev.hotpath.analyzer.jfr.read.RecordedView.Context context =
                new dev.hotpath.analyzer.jfr.read.RecordedView.Context(new EventTimes());
        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE, 0};
        try (jdk.jfr.consumer.EventStream es = jdk.jfr.consumer.EventStream.openFile(file)) {
            for (JfrHandler h : handlers) {
                for (String t : h.eventTypes()) {
                    es.onEvent(t, e -> {
                        range[2]++;
                        long s = e.getStartTime().toEpochMilli();
                        long en = e.getEndTime().toEpochMilli();
                        if (s < range[0]) {
                            range[0] = s;
                        }
                        if (en > range[1]) {
                            range[1] = en;
                        }
                        h.accept(context.view(e));
                    });
                }
            }
            es.onEvent("jdk.ActiveSetting", e -> settings.accept(context.view(e)));
            es.start();
        }
        settings.resolve(file);
        RecordingInfo info = new RecordingInfo(range[0], range[1], range[2], false);
        Artifact hashed = ctx.fingerprinted(artifact);
        for (JfrHandler h : handlers) {
            h.finish(hashed, info, ctx);
        }
    }

    /**
     * Why nothing could be read. The consumer API needs a chunk's metadata, which JFR writes at the chunk's end, so a
     * cut inside the first chunk leaves nothing readable; later chunks of a multi-chunk file survive a cut.
     */
    static String firstChunkProblem(Path file, Exception broken) throws IOException {
        long size = Files.size(file);
        byte[] head = new byte[16];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 16) == 16) {
                long chunk = java.nio.ByteBuffer.wrap(head, 8, 8).getLong();
                if (chunk <= CHUNK_HEADER_BYTES && size > CHUNK_HEADER_BYTES) {
                    // the JVM writes a chunk's size (and its metadata) only when it closes the chunk: a repository's
                    // current file, copied while the JVM ran or left behind when it died, declares just its header
                    return "unfinished JFR chunk: the JVM was still writing it (the current file of a live "
                            + "repository, or the JVM died), and its " + (size - CHUNK_HEADER_BYTES)
                            + " bytes of events have no metadata to read them with yet; dump the recording with "
                            + "jcmd <pid> JFR.dump, or read the repository's finished files";
                }
                if (chunk > size) {
                    return "JFR recording cut inside its first chunk (the chunk declares " + chunk
                            + " bytes, the file has " + size + "); a partial chunk has no metadata to read it with";
                }
            }
        }
        // the JDK's message can quote damaged bytes (a bit-flipped type name): keep it on one line
        return "not a readable JFR recording: " + String.valueOf(broken.getMessage()).replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * RecordingFile (JDK 17) never returns from a chunk whose header declares a size smaller than the header itself
     * (a size of 0 hangs it; ReaderSweepTest; corpus jfr/crash-chunk-size-zero). {@link Chunks#scan} has walked the
     * headers and stopped at the first chunk that is not complete, which is where such a size would be: read it.
     */
    private static void checkChunkAfter(Path file, List<Chunks.Chunk> chunks) throws IOException, UnusableInputException {
        long at = 0;
        for (Chunks.Chunk c : chunks) {
            if (!c.complete()) {
                break;
            }
            at = c.offset() + c.size();
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(16);
            while (head.hasRemaining() && ch.read(head, at + head.position()) > 0) {
                // read the whole header
            }
            if (head.hasRemaining() || head.getInt(0) != 0x464c5200) {
                return;
            }
            long chunk = head.getLong(8);
            if (chunk < CHUNK_HEADER_BYTES) {
                throw new UnusableInputException(file, at + 8, "JFR chunk declares a size of " + chunk
                        + " bytes, less than its own header");
            }
        }
    }

    /** {@link #checkRecordSizes(java.nio.channels.FileChannel, Path, long, long)} of one complete chunk. */
    static void checkRecordSizes(Chunks.Chunk c) throws IOException, UnusableInputException {
        if (!c.complete()) {
            return; // as the header walk: a cut chunk's records are not walked
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(c.file())) {
            checkRecordSizes(ch, c.file(), c.offset(), c.size());
        }
    }

    /**
     * RecordingFile (JDK 17) also loops forever on a record whose size field reads as a negative int: it steps back
     * to the record's start plus that size. The records of a chunk follow its 68-byte header back to back, each
     * starting with its size (a varint when the header's flag bit 0 says integers are compressed, else a u4), so
     * walking the sizes finds such a record first (ReaderSweepTest; corpus jfr/crash-record-size-negative).
     */
    private static void checkRecordSizes(java.nio.channels.FileChannel ch, Path file, long chunkStart, long chunkSize)
            throws IOException, UnusableInputException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64 * 1024);
        if (ch.read(buf, chunkStart + 64) < 4) {
            return;
        }
        boolean compressed = (buf.getInt(0) & 1) != 0;
        long end = chunkStart + chunkSize;
        long at = chunkStart + CHUNK_HEADER_BYTES;
        long bufStart = Long.MIN_VALUE;
        int bufLen = 0;
        while (at < end) {
            if (at < bufStart || at + 9 > bufStart + bufLen) {
                buf.clear();
                bufStart = at;
                bufLen = Math.max(0, ch.read(buf, at));
                if (bufLen == 0) {
                    return;
                }
            }
            int p = (int) (at - bufStart);
            long recordSize;
            if (compressed) {
                recordSize = 0;
                for (int i = 0; i < 9 && p + i < bufLen; i++) {
                    int b = buf.get(p + i) & 0xff;
                    if (i == 8) {
                        recordSize |= (long) b << 56;
                        break;
                    }
                    recordSize |= (long) (b & 0x7f) << (7 * i);
                    if (b < 0x80) {
                        break;
                    }
                }
            } else {
                if (p + 4 > bufLen) {
                    return;
                }
                recordSize = buf.getInt(p);
            }
            if ((int) recordSize == 0) {
                return; // RecordingFile stops there with an IOException: what precedes is still read
            }
            if ((int) recordSize < 0) {
                throw new UnusableInputException(file, at, "JFR record declares a size of " + (int) recordSize
                        + " bytes");
            }
            at += (int) recordSize;
        }
    }

    private static void checkMagic(Path file) throws IOException, UnusableInputException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n == 0) {
            throw new UnusableInputException(file, "empty file, expected a JFR recording");
        }
        if (n < 4 || !java.util.Arrays.equals(head, MAGIC)) {
            throw new UnusableInputException(file, 0, "not a JFR recording (missing 'FLR\\0' magic)");
        }
    }
}
