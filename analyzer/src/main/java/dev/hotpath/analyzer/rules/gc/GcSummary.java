package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The garbage collector's behaviour over one artifact, the same whether it came from a JFR recording or a unified GC
 * log, so every gc rule runs on either source. Built by {@link GcSummaryBuilder}; immutable afterwards.
 *
 * <p>Times: {@code rangeStartMs}/{@code rangeEndMs} and the timeline's starts are epoch milliseconds when
 * {@link #epochClock()} (JFR, or a log decorated with wall-clock time) and JVM uptime milliseconds otherwise.
 *
 * <p>Bounded: the pause timeline holds one entry per collection (a day of 1 GC/s is 1.4 MB of longs); the heap series
 * is thinned by the builder.
 */
public final class GcSummary implements Summary {
    public static final String KIND = "gc.pauses";

    private final Artifact source;
    private final String gcName;
    private final long rangeStartMs;
    private final long rangeEndMs;
    private final boolean epochClock;
    private final List<PauseStats> pauses;
    private final long[] timelineStartMs;
    private final long[] timelinePauseNanos;
    private final GcEvents events;
    private final long[] heapAfterMs;
    private final long[] heapAfterBytes;
    private final long heapMaxBytes;
    private long[] timelineSeries = new long[0];
    private long longCollections;
    private long longCollectionWallNanos;
    private long longCollectionCpuNanos;
    private List<ConcurrentPhase> concurrentPhases = List.of();
    private long concurrentCycles;
    private long[] concurrentBusy = {-1, -1, -1, -1};
    private long allocationPairs;
    private long allocatedBetweenBytes;
    private long allocationSpanMs;

    GcSummary(Artifact source, String gcName, long rangeStartMs, long rangeEndMs, boolean epochClock,
              List<PauseStats> pauses, long[] timelineStartMs, long[] timelinePauseNanos, GcEvents events,
              long[] heapAfterMs, long[] heapAfterBytes, long heapMaxBytes) {
        this.source = source;
        this.gcName = gcName;
        this.rangeStartMs = rangeStartMs;
        this.rangeEndMs = rangeEndMs;
        this.epochClock = epochClock;
        this.pauses = List.copyOf(pauses);
        this.timelineStartMs = timelineStartMs;
        this.timelinePauseNanos = timelinePauseNanos;
        this.events = events;
        this.heapAfterMs = heapAfterMs;
        this.heapAfterBytes = heapAfterBytes;
        this.heapMaxBytes = heapMaxBytes;
    }

    @Override
    public Artifact source() {
        return source;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The collector in use as the JVM names it ("G1", "Parallel", "Z", "Serial", "Shenandoah"), or "unknown". */
    public String gcName() {
        return gcName;
    }

    public long rangeStartMs() {
        return rangeStartMs;
    }

    public long rangeEndMs() {
        return rangeEndMs;
    }

    public long durationMs() {
        return Math.max(0, rangeEndMs - rangeStartMs);
    }

    public boolean epochClock() {
        return epochClock;
    }

    /** Per collector and cause, most total pause time first. */
    public List<PauseStats> pauses() {
        return pauses;
    }

    public long collections() {
        long n = 0;
        for (PauseStats p : pauses) {
            n += p.count();
        }
        return n;
    }

    public long totalPauseNanos() {
        long n = 0;
        for (PauseStats p : pauses) {
            n += p.totalNanos();
        }
        return n;
    }

    /** Start (ms, see class comment) of each collection, ascending; parallel to {@link #timelinePauseNanos()}. */
    public long[] timelineStartMs() {
        return timelineStartMs.clone();
    }

    public long[] timelinePauseNanos() {
        return timelinePauseNanos.clone();
    }

    public GcEvents events() {
        return events;
    }

    /** Heap used after each collection (ms, see class comment), ascending; parallel to {@link #heapAfterBytes()}. */
    public long[] heapAfterMs() {
        return heapAfterMs.clone();
    }

    public long[] heapAfterBytes() {
        return heapAfterBytes.clone();
    }

    /** Largest heap size seen (reserved/max capacity), 0 when unknown. */
    GcSummary withLongCollectionCpu(long count, long wallNanos, long cpuNanos) {
        this.longCollections = count;
        this.longCollectionWallNanos = wallNanos;
        this.longCollectionCpuNanos = cpuNanos;
        return this;
    }

    GcSummary withConcurrent(List<ConcurrentPhase> phases, long cycles, long[] busy) {
        this.concurrentPhases = List.copyOf(phases);
        this.concurrentCycles = cycles;
        this.concurrentBusy = busy.clone();
        return this;
    }

    GcSummary withAllocationFromHeap(long pairs, long bytes, long spanMs) {
        this.allocationPairs = pairs;
        this.allocatedBetweenBytes = bytes;
        this.allocationSpanMs = spanMs;
        return this;
    }

    /** The collector's concurrent phases, most total time first; empty for stop-the-world collectors. */
    public List<ConcurrentPhase> concurrentPhases() {
        return concurrentPhases;
    }

    /** Collections that ran a concurrent phase. */
    public long concurrentCycles() {
        return concurrentCycles;
    }

    /** Wall milliseconds during which some concurrent phase ran (their union), -1 when the source had no clock. */
    public long concurrentBusyMs() {
        return concurrentBusy[0];
    }

    /** The part of {@link #concurrentBusyMs()} outside stop-the-world pauses, ms; -1 without a clock. */
    public long concurrentBusyOutsidePausesMs() {
        return concurrentBusy[3];
    }

    /** The longest stretch of back-to-back concurrent phases, ms; -1 without a clock. */
    public long concurrentLongestStretchMs() {
        return concurrentBusy[1];
    }

    /**
     * Bytes per second the application allocated between stop-the-world collections (each collection's heap-before
     * less the previous one's heap-after), NaN when fewer than two consecutive collections told both sizes.
     */
    public double allocationBytesPerSecondFromHeap() {
        return allocationPairs == 0 || allocationSpanMs <= 0 ? Double.NaN
                : allocatedBetweenBytes * 1000.0 / allocationSpanMs;
    }

    /** Bytes the heap gained between consecutive stop-the-world collections (see the rate above). */
    public long allocatedBetweenPausesBytes() {
        return allocatedBetweenBytes;
    }

    /** The time those gains spanned, ms; 0 when unknown. */
    public long allocationSpanMs() {
        return allocationSpanMs;
    }

    /** Per timeline entry, the index in {@link #pauses()} of its collector and cause. */
    GcSummary withTimelineSeries(long[] series) {
        this.timelineSeries = series;
        return this;
    }

    /** Collections of at least 50 ms whose GC CPU time is known (GC log gc,cpu lines; 0 from JFR). */
    public long longCollections() {
        return longCollections;
    }

    /**
     * GC threads' CPU time per wall-clock time over the long collections, or NaN when unknown. Below 1 the parallel
     * GC workers spent most of the pause waiting for a CPU: the pause is the machine's starvation, not GC work.
     */
    public double longCollectionCpuPerWall() {
        return longCollectionWallNanos <= 0 ? Double.NaN : (double) longCollectionCpuNanos / longCollectionWallNanos;
    }

    public long heapMaxBytes() {
        return heapMaxBytes;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gc", gcName);
        m.put("rangeStartMs", rangeStartMs);
        m.put("rangeEndMs", rangeEndMs);
        m.put("clock", epochClock ? "epoch" : "uptime");
        List<Object> p = new ArrayList<>();
        for (PauseStats s : pauses) {
            p.add(s.toJson());
        }
        m.put("pauses", p);
        m.put("events", events.toJson());
        m.put("heapMaxBytes", heapMaxBytes);
        m.put("heapAfterGcSamples", heapAfterBytes.length);
        if (!concurrentPhases.isEmpty()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("cycles", concurrentCycles);
            c.put("busyMs", concurrentBusy[0]);
            c.put("longestStretchMs", concurrentBusy[1]);
            c.put("stretches", concurrentBusy[2]);
            c.put("busyOutsidePausesMs", concurrentBusy[3]);
            List<Object> ph = new ArrayList<>();
            for (ConcurrentPhase cp : concurrentPhases) {
                ph.add(cp.toJson());
            }
            c.put("phases", ph);
            m.put("concurrent", c);
        }
        if (allocationPairs > 0 && allocationSpanMs > 0) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("collectionPairs", allocationPairs);
            a.put("allocatedBytes", allocatedBetweenBytes);
            a.put("spanMs", allocationSpanMs);
            a.put("bytesPerSecond", Math.round(allocationBytesPerSecondFromHeap()));
            m.put("allocationFromHeap", a);
        }
        m.put("timeline", timelineJson());
        m.put("heapAfterGc", heapAfterJson());
        return m;
    }

    /** Points kept per stored series; longer series keep each stretch's largest value (a pause spike survives). */
    static final int MAX_POINTS = 10_000;

    /**
     * Columnar: {@code startMs}, {@code pauseNanos} and {@code series} (index into {@code pauses}) per collection;
     * {@code collections} is how many there were, more than the points when downsampled.
     */
    private Map<String, Object> timelineJson() {
        int[] keep = keepMax(timelinePauseNanos);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("collections", timelinePauseNanos.length);
        t.put("startMs", pick(timelineStartMs, keep));
        t.put("pauseNanos", pick(timelinePauseNanos, keep));
        t.put("series", pick(timelineSeries.length == timelinePauseNanos.length ? timelineSeries
                : new long[timelinePauseNanos.length], keep));
        return t;
    }

    private Map<String, Object> heapAfterJson() {
        int[] keep = keepMax(heapAfterBytes);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("samples", heapAfterBytes.length);
        h.put("timeMs", pick(heapAfterMs, keep));
        h.put("usedBytes", pick(heapAfterBytes, keep));
        return h;
    }

    /** Indexes to keep: all when there are at most {@link #MAX_POINTS}, else the largest value of each equal stretch. */
    static int[] keepMax(long[] values) {
        int n = values.length;
        int points = Math.min(n, MAX_POINTS);
        int[] keep = new int[points];
        for (int b = 0; b < points; b++) {
            int from = (int) ((long) b * n / points);
            int to = (int) ((long) (b + 1) * n / points);
            int best = from;
            for (int i = from + 1; i < to; i++) {
                if (values[i] > values[best]) {
                    best = i;
                }
            }
            keep[b] = best;
        }
        return keep;
    }

    private static List<Long> pick(long[] values, int[] keep) {
        List<Long> out = new ArrayList<>(keep.length);
        for (int i : keep) {
            out.add(values[i]);
        }
        return out;
    }
}
