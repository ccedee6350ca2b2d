package dev.hotpath.cli.record;

import dev.hotpath.nativemem.proc.MemSample;
import dev.hotpath.nativemem.proc.ProcMemSampler;
import dev.hotpath.nativemem.proc.RssTimeline;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The periodic part of a recording, the same whether record launched the JVM or attached to it: the RSS timeline
 * and the progress line on one thread, NMT summaries and heap dumps on another (RSS and progress must tick every
 * second even while a heap dump or the first attach blocks).
 *
 * <p>Thread-safety: {@link #startRss}, {@link #startJvm}, {@link #finalCaptures} and {@link #stop} are called from
 * the recorder's main thread; the ticks run on the two daemon threads; NMT writes are serialized.
 */
final class JvmSampling {
    private final RecordOptions o;
    private final Path out;
    private final TargetJvm target;
    private final List<String> notes;
    private final AtomicInteger nmtSamples = new AtomicInteger();
    private final AtomicInteger heapDumpsTaken = new AtomicInteger();
    private final ScheduledExecutorService rssThread =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hotpath-record-rss"));
    private final ScheduledExecutorService jcmdThread =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hotpath-record-jcmd"));
    private Writer rss;
    private volatile MemSample lastSample;
    private volatile boolean nmtBroken;
    private volatile boolean nmtBaseline;
    private volatile boolean nmtAbsentNoted;
    private ProgressLine progress;

    /** @param notes the manifest's notes (synchronized list) */
    JvmSampling(RecordOptions o, Path out, TargetJvm target, List<String> notes) {
        this.o = o;
        this.out = out;
        this.target = target;
        this.notes = notes;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts the RSS timeline ({@value Recorder#RSS_FILE}) and, unless {@code progress} is NONE, the progress line. */
    void startRss(long t0, PrintWriter err, ProgressLine.Mode mode) throws IOException {
        rss = Files.newBufferedWriter(out.resolve(Recorder.RSS_FILE), StandardCharsets.UTF_8);
        RssTimeline.writeHeader(rss);
        rss.flush();
        ProcMemSampler sampler = new ProcMemSampler(target.pid());
        rssThread.scheduleAtFixedRate(() -> sampleRss(sampler), 0, o.rssInterval().toMillis(), TimeUnit.MILLISECONDS);
        if (mode != ProgressLine.Mode.NONE) {
            progress = new ProgressLine(err, mode, t0, out, () -> lastSample);
            long every = mode.periodMillis();
            rssThread.scheduleAtFixedRate(progress::print, every, every, TimeUnit.MILLISECONDS);
        }
    }

    MemSample lastSample() {
        return lastSample;
    }

    private void sampleRss(ProcMemSampler sampler) {
        try {
            MemSample s = sampler.sample();
            if (s == null) {
                return;
            }
            lastSample = s;
            synchronized (this) {
                if (rss != null) {
                    RssTimeline.writeRow(rss, s);
                    rss.flush();
                }
            }
        } catch (IOException e) {
            // the timeline file is closed at the end; a late tick has nothing to write
        }
    }

    /** NMT and heap dumps: once the JVM is attachable, on the jcmd thread. */
    void startJvm(long t0) {
        jcmdThread.execute(() -> startJvmSampling(t0));
    }

    private void startJvmSampling(long t0) {
        if (!o.nmt() && o.heapDumps() == 0) {
            return;
        }
        try {
            if (!TargetJvm.awaitAttachable(target.pid(), 60_000)) {
                notes.add("the JVM never became attachable; no NMT samples or heap dumps");
                return;
            }
            if (o.nmt()) {
                // the first ticks may find the JVM still refusing attach (JFR and agents start first): retry
                long every = o.nmtInterval().toMillis();
                jcmdThread.scheduleAtFixedRate(this::nmtTick, 0, every, TimeUnit.MILLISECONDS);
            }
            scheduleHeapDumps(t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Attach mode: NMT's baseline (or the note that NMT is off) right away on the caller's thread, before the slower
     * set-up steps (JFR start, agents) delay the periodic sampling.
     */
    void nmtFirst() {
        if (o.nmt()) {
            nmtTick();
        }
    }

    /** Whether NMT turned out to be off in the target (attach mode: it can only be enabled at JVM start). */
    boolean nmtAbsent() {
        return nmtAbsentNoted;
    }

    private void nmtTick() {
        if (nmtBroken) {
            return;
        }
        try {
            if (!nmtBaseline) {
                String r = target.execute("VM.native_memory", "baseline");
                if (r.contains("not enabled")) {
                    nmtBroken = true;
                    nmtAbsentNoted = true;
                    notes.add("NMT: not enabled in the target JVM (it needs -XX:NativeMemoryTracking=summary at start); "
                            + "no NMT samples");
                    return;
                }
                nmtBaseline = true;
            }
            nmtSample();
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.endsWith("has exited") || Thread.currentThread().isInterrupted()) {
                nmtBroken = true; // the run is ending (the JVM or record stopping a tick in flight); nothing to note
            } else if (!m.startsWith("the JVM does not accept attach yet")) {
                nmtBroken = true;
                notes.add("NMT: " + m);
            }
        }
    }

    /** One NMT summary (a new file, stamped with the time) and the diff against the baseline (overwritten). */
    private synchronized void nmtSample() throws IOException {
        long now = System.currentTimeMillis();
        String summary = target.execute("VM.native_memory", "summary");
        int n = nmtSamples.incrementAndGet();
        Path dir = out.resolve(Recorder.NMT_DIR);
        Files.writeString(dir.resolve(String.format("summary-%04d.txt", n)),
                "# hotpath epochMillis=" + now + "\n" + summary, StandardCharsets.UTF_8);
        String diff = target.execute("VM.native_memory", "summary.diff");
        Path tmp = dir.resolve("summary.diff.tmp");
        Files.writeString(tmp, "# hotpath epochMillis=" + now + "\n" + diff, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("summary.diff.txt"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * N dumps: with a duration, evenly spaced from start to the stop (the last one just before the stop, see
     * {@link #finalCaptures}); without one, only the first at start-up can be planned.
     */
    private void scheduleHeapDumps(long t0) {
        int n = o.heapDumps();
        if (n <= 0) {
            return;
        }
        if (o.duration() == null) {
            heapDump();
            if (n > 1) {
                notes.add("without --duration only the first of " + n + " heap dumps could be planned");
            }
            return;
        }
        long d = o.duration().toMillis();
        for (int i = 0; i < n - 1; i++) {
            long at = i * d / (n - 1);
            long delay = Math.max(0, t0 + at - System.currentTimeMillis());
            jcmdThread.schedule(this::heapDump, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void heapDump() {
        int i = heapDumpsTaken.incrementAndGet();
        Path file = out.resolve(Recorder.HEAP_DIR).resolve(String.format("heap-%02d.hprof", i));
        try {
            target.heapDump(file);
        } catch (IOException e) {
            notes.add("heap dump " + i + ": " + e.getMessage());
        }
    }

    /**
     * Before the JVM is stopped (or, attached, before record detaches): stops the periodic NMT and heap-dump work,
     * then takes the last NMT sample and diff and the last heap dump.
     */
    void finalCaptures() throws InterruptedException {
        jcmdThread.shutdownNow();
        jcmdThread.awaitTermination(60, TimeUnit.SECONDS);
        if (o.nmt() && !nmtBroken && !nmtBaseline) {
            nmtTick(); // the periodic ticks never got to run (a slow start-up): baseline and one sample, or the note
        } else if (o.nmt() && !nmtBroken) {
            try {
                nmtSample();
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).endsWith("has exited")) { // Ctrl-C on a terminal reached the JVM too
                    notes.add("final NMT sample: " + e.getMessage());
                }
            }
        }
        if (o.heapDumps() > 0 && heapDumpsTaken.get() < o.heapDumps()) {
            heapDump();
        }
    }

    /** Ends the sampling threads, closes the timeline and clears the progress line. */
    void stop() throws InterruptedException, IOException {
        rssThread.shutdownNow();
        jcmdThread.shutdownNow();
        rssThread.awaitTermination(10, TimeUnit.SECONDS);
        jcmdThread.awaitTermination(30, TimeUnit.SECONDS);
        synchronized (this) {
            if (rss != null) {
                rss.close();
                rss = null;
            }
        }
        if (progress != null) {
            progress.clear();
        }
    }

    /** For the recorder's finally: no thread may outlive the run even when it failed half-way. */
    void abandon() {
        rssThread.shutdownNow();
        jcmdThread.shutdownNow();
    }
}
