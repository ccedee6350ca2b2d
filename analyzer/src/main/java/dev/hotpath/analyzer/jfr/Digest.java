package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.jfr.internal.EventTimes;
import dev.hotpath.analyzer.jfr.read.ChunkReader;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrType;
import dev.hotpath.analyzer.jfr.read.RecordedView;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.UnusableInputException;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The handlers' state while one or more files (or parts of them) are read into it. A serial read goes through
 * {@link #read}; a parallel read gives each part its own digest ({@code part = true}, whose low-volume handlers only
 * keep their events) and {@link #absorb}s the parts in chunk order into one, then {@link #conclude}s each file as
 * {@link #read} would have. Not thread-safe: one thread per digest.
 */
final class Digest {
    JfrSettings settings;
    /** The clock of the chunk being read by {@code RecordingFile} (the fallback path). */
    private EventTimes times;
    List<JfrHandler> handlers;
    private final Map<String, JfrHandler[]> byType = new HashMap<>();
    private static final JfrHandler[] NONE = {};
    private static final JfrHandler[] SETTINGS = {};
    private final Map<JfrType, JfrHandler[]> typeHandlers = new java.util.IdentityHashMap<>();
    private final boolean part;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    long count;
    boolean truncated;
    /**
     * Event type id → name as the metadata of the chunks read so far declares them, the first declaration of an id
     * winning (as {@code RecordingFile.readEventTypes}); {@code null} once a chunk went through RecordingFile.
     */
    private Map<Long, String> declared;
    /** Files read by hotpath's chunk reader, and files it refused (read by RecordingFile instead): for the tests. */
    static final java.util.concurrent.atomic.AtomicLong OWN_READS = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong REFUSED = new java.util.concurrent.atomic.AtomicLong();

    /** What one pass over one file gave: events read, whether it ended at a cut, and what broke it. */
    record Outcome(long events, boolean cut, Exception broken) {
    }

    Digest(boolean part) {
        this.part = part;
        init();
    }

    /** Fresh handlers and state: before the first read, and when the chunk reader gives up on a file mid-way. */
    private void init() {
        settings = new JfrSettings();
        times = new EventTimes();
        byType.clear();
        typeHandlers.clear();
        start = Long.MAX_VALUE;
        end = Long.MIN_VALUE;
        count = 0;
        declared = new HashMap<>();
        List<JfrHandler> hs = JfrIngester.handlers(settings);
        if (part) {
            hs.replaceAll(h -> h.mergesByReplay() ? new Replay(h.eventTypes()) : h);
        }
        handlers = hs;
        for (JfrHandler h : handlers) {
            for (String t : h.eventTypes()) {
                JfrHandler[] old = byType.get(t);
                JfrHandler[] now = old == null ? new JfrHandler[1] : Arrays.copyOf(old, old.length + 1);
                now[now.length - 1] = h;
                byType.put(t, now);
            }
        }
    }

    /**
     * Reads every event of {@code file}. A file that yields nothing is unusable when it is read {@code alone};
     * as one of several files it becomes a note and the others still count.
     */
    void read(Path file, String name, IngestContext ctx, boolean alone) throws IOException, UnusableInputException {
        Outcome o = readEvents(file);
        // hotpath's reader takes the file only when it is exactly one chunk; otherwise RecordingFile read it
        conclude(file, name, ctx, alone, o.events(), o.cut(), o.broken(), true);
    }

    /**
     * Streams the events of {@code file} into the handlers; never throws for a damaged file (see {@link Outcome}).
     * A fresh digest reads a file of one complete chunk with hotpath's own {@link ChunkReader}; where that reader
     * meets something it does not understand, or on any failure while its events are handled, the digest starts
     * over and reads the file with {@link RecordingFile}, whose result on damaged input is the reference.
     */
    Outcome readEvents(Path file) {
        Outcome own = readOwn(file, 0, -1);
        return own != null ? own : readConsumer(file);
    }

    /**
     * The chunk at {@code offset} of {@code file} ({@code size} bytes; -1: the whole file is one chunk) through
     * hotpath's {@link ChunkReader}, in place; {@code null} when that reader is off, the digest is not fresh, or the
     * reader refused the chunk or failed on it, the digest then being fresh again for {@link #readConsumer}.
     */
    Outcome readOwn(Path file, long offset, long size) {
        if (!ChunkReader.enabled() || count != 0 || start != Long.MAX_VALUE) {
            return null;
        }
        try {
            long n = ChunkReader.read(file, offset, size, sink);
            count += n;
            OWN_READS.incrementAndGet();
            return new Outcome(n, false, null);
        } catch (IOException | RuntimeException notOurs) {
            REFUSED.incrementAndGet();
            init(); // what the handlers saw is dropped: RecordingFile reads the file from its start
            return null;
        }
    }

    /** The chunk reader's events go to the handlers of their type, the selection being the handler array. */
    private final ChunkReader.Sink sink = new ChunkReader.Sink() {
        @Override
        public Object select(JfrType type) {
            JfrHandler[] hs = handlersOf(type);
            return hs == NONE ? null : hs;
        }

        @Override
        public void accept(JfrEvent event, Object selection) {
            dispatch(event, (JfrHandler[]) selection);
        }

        @Override
        public void declared(long id, String name) {
            if (declared != null) {
                declared.putIfAbsent(id, name);
            }
        }
    };

    /** Streams the events of {@code file} with {@link RecordingFile} (see {@link Outcome}). */
    Outcome readConsumer(Path file) {
        long before = count;
        RecordedView.Context context = new RecordedView.Context(times);
        boolean cut = false;
        Exception broken = null;
        times.begin(file); // one chunk per file here (see ChunkParts.split and JfrIngester.ingest)
        declared = null;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e;
                try {
                    e = rf.readEvent();
                } catch (EOFException eof) {
                    cut = true;
                    break;
                }
                count++;
                JfrHandler[] hs = handlersOf(context.type(e));
                if (hs != NONE) {
                    dispatch(context.view(e), hs);
                }
            }
        } catch (IOException | RuntimeException ex) {
            // RecordingFile reports a cut chunk as EOFException or as an IOException about the chunk; both mean
            // "the rest is unreadable", which is a state of the input rather than a failure when events were read.
            broken = ex;
        }
        return new Outcome(count - before, cut, broken);
    }

    /**
     * Hands one event to its handlers. A method of its own, so that the JIT compiles it once as a normal method
     * instead of inlining it into the event loop's on-stack replacement, which JfrIngestBench's profile showed costs
     * over a second of compiler time per run.
     */
    private void dispatch(JfrEvent e, JfrHandler[] hs) {
        if (hs == SETTINGS) {
            settings.accept(e);
        } else if (hs.length > 0) {
            // the time range from the events the handlers read: periodic ones (CPU load, thread counts)
            // span the recording; the ticks of the others are not even converted
            // min/max, not ifs: a fresh part's first event takes the "earlier" branch once, which the JIT, having
            // compiled the path without it, pays for with a deoptimization and a recompilation per chunk
            start = Math.min(start, EventTimes.millis(e.startNanos()));
            end = Math.max(end, EventTimes.millis(e.endNanos()));
            for (JfrHandler h : hs) {
                h.accept(e);
            }
        }
    }

    /**
     * The handlers of an event type, {@link #SETTINGS} for {@code jdk.ActiveSetting}: looked up by name once per
     * type object (a chunk has a few dozen), then by identity, as a dense recording has millions of events.
     */
    private JfrHandler[] handlersOf(JfrType t) {
        JfrHandler[] hs = typeHandlers.get(t);
        if (hs == null) {
            hs = t.name().equals("jdk.ActiveSetting") ? SETTINGS : byType.getOrDefault(t.name(), NONE);
            typeHandlers.put(t, hs);
            for (JfrHandler h : hs) {
                h.prepare(t);
            }
        }
        return hs;
    }

    /**
     * What a read of one file means once its events are in: {@code events} read, ended at a cut or {@code broken}.
     * Nothing read is unusable input when the file is read alone, else a note; a cut is a note and marks the
     * recording truncated.
     */
    void conclude(Path file, String name, IngestContext ctx, boolean alone, long events, boolean cut,
                  Exception broken) throws IOException, UnusableInputException {
        conclude(file, name, ctx, alone, events, cut, broken, false);
    }

    /**
     * As above; {@code wholeFile}: this digest read every chunk of {@code file} and nothing else, the chunks filling
     * the file to its last byte, so when all of them went through hotpath's reader the metadata it kept names the
     * event types of the settings exactly as {@code RecordingFile.readEventTypes} would, without a second pass.
     */
    void conclude(Path file, String name, IngestContext ctx, boolean alone, long events, boolean cut,
                  Exception broken, boolean wholeFile) throws IOException, UnusableInputException {
        if (broken != null && events == 0) {
            if (alone) {
                throw new UnusableInputException(file, JfrIngester.firstChunkProblem(file, broken));
            }
            ctx.note(name + ": " + JfrIngester.firstChunkProblem(file, broken) + "; the other files were read");
            return;
        }
        if (events == 0) {
            if (alone) {
                throw new UnusableInputException(file,
                        "JFR recording holds no complete chunk (no events could be read)");
            }
            ctx.note(name + ": holds no complete chunk; the other files were read");
            return;
        }
        if (cut || broken != null) {
            truncated = true;
            ctx.note(name + ": recording is truncated; analysed the " + events + " events before the cut");
        }
        if (wholeFile && !cut && broken == null && declared != null && settings.resolve(declared)) {
            return;
        }
        settings.resolve(file);
    }

    /** Adds a part that read the chunks right after everything this digest holds (see {@link JfrHandler#absorb}). */
    void absorb(Digest part) {
        start = Math.min(start, part.start);
        end = Math.max(end, part.end);
        count += part.count;
        settings.absorb(part.settings);
        if (declared != null && part.declared != null) {
            part.declared.forEach(declared::putIfAbsent);
        } else {
            declared = null;
        }
        for (int i = 0; i < handlers.size(); i++) {
            JfrHandler later = part.handlers.get(i);
            if (later instanceof Replay r) {
                for (JfrEvent e : r.events) {
                    handlers.get(i).accept(e);
                }
            } else {
                handlers.get(i).absorb(later);
            }
        }
    }

    void finish(Artifact artifact, IngestContext ctx) {
        RecordingInfo info = new RecordingInfo(start, end, count, truncated);
        for (JfrHandler h : handlers) {
            h.finish(artifact, info, ctx);
        }
    }

    /** Stands in for a low-volume handler in a part: keeps its events for the merge to replay in chunk order. */
    private static final class Replay implements JfrHandler {
        private final Set<String> types;
        final List<JfrEvent> events = new ArrayList<>();

        Replay(Set<String> types) {
            this.types = types;
        }

        @Override
        public Set<String> eventTypes() {
            return types;
        }

        @Override
        public void accept(JfrEvent event) {
            events.add(event.detach());
        }

        @Override
        public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
            throw new IllegalStateException("a part's events are replayed, never finished");
        }
    }
}
