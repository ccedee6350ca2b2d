package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.jfr.internal.LongList;
import dev.hotpath.analyzer.jfr.internal.Stats;
import dev.hotpath.analyzer.model.Artifact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates collections as a reader meets them (JFR events or GC-log lines) and freezes them into a
 * {@link GcSummary}. Per collection it appends to primitive lists; GCs are rare next to other events, so the one map
 * lookup per collection is not a hot path. Not thread-safe: one builder per reader.
 */
public final class GcSummaryBuilder {
    private static final String SYSTEM_GC = "System.gc()";

    private final Map<String, LongList> pausesByKey = new LinkedHashMap<>();
    private final Map<String, Long> systemGcCallers = new java.util.TreeMap<>();
    private final LongList timelineStart = new LongList(256);
    private final LongList timelinePause = new LongList(256);
    /** Per timeline entry, the insertion ordinal of its collector/cause key in {@link #pausesByKey}. */
    private final LongList timelineKey = new LongList(256);
    private final LongList heapAfterMs = new LongList(256);
    private final LongList heapAfterBytes = new LongList(256);
    private String gcName = "unknown";
    private long rangeStartMs = Long.MAX_VALUE;
    private long rangeEndMs = Long.MIN_VALUE;
    private boolean epochClock = true;
    private long fullGcs;
    private long systemGcCauses;
    private long systemGcEvents;
    private long humongous;
    private long evacuationFailures;
    private long stalls;
    private long stallNanos;
    private long heapMax;
    private long longWallNanos;
    private long longCpuNanos;
    private long longCpuCount;
    private final ConcurrentWork concurrent = new ConcurrentWork();
    private long lastAfterBytes = -1;
    private long lastAroundMs = Long.MIN_VALUE;
    private long aroundSpanMs;
    private long allocatedBetween;
    private long aroundPairs;

    /** Collections at least this long are the ones whose CPU/wall ratio is kept (short ones round to 0.00s). */
    static final long LONG_COLLECTION_NANOS = 50_000_000L;

    public GcSummaryBuilder gcName(String name) {
        if (name != null && !name.isBlank()) {
            gcName = name;
        }
        return this;
    }

    public GcSummaryBuilder epochClock(boolean epoch) {
        epochClock = epoch;
        return this;
    }

    /** Widens the covered time range (the recording's or log's start and end, not only the GCs'). */
    public void range(long startMs, long endMs) {
        rangeStartMs = Math.min(rangeStartMs, startMs);
        rangeEndMs = Math.max(rangeEndMs, endMs);
    }

    /**
     * One collection with its stop-the-world time ({@code startMs} -1 when the source has no clock). Collections without a pause (a concurrent cycle that had none) still
     * count for causes such as {@code System.gc()} but add nothing to the pause statistics.
     */
    public void collection(long startMs, String collector, String cause, long pauseNanos) {
        collector = collector == null ? "unknown" : collector;
        cause = cause == null ? "unknown" : cause;
        // Parallel runs a young collection before the full one for each System.gc(); count the call once
        if (SYSTEM_GC.equals(cause) && !collector.equals("ParallelScavenge")) {
            systemGcCauses++;
        }
        if (cause.contains("Humongous")) {
            humongous++;
        }
        if (isFull(collector)) {
            fullGcs++;
        }
        if (pauseNanos > 0) {
            String key = collector + '\u0000' + cause;
            LongList list = pausesByKey.get(key);
            if (list == null) {
                list = new LongList();
                pausesByKey.put(key, list);
            }
            list.add(pauseNanos);
            timelineStart.add(startMs);
            timelinePause.add(pauseNanos);
            timelineKey.add(ordinal(key));
        }
        if (startMs >= 0) {
            range(startMs, startMs + pauseNanos / 1_000_000);
        }
    }

    private int ordinal(String key) {
        int i = 0;
        for (String k : pausesByKey.keySet()) {
            if (k.equals(key)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    static boolean isFull(String collector) {
        return collector.equals("G1Full") || collector.equals("ParallelOld") || collector.equals("SerialOld")
                || collector.equals("Serial Old") || collector.contains("Full");
    }

    /** A {@code jdk.SystemGC} event; {@code caller} is the application frame that called System.gc(), if known. */
    public void systemGcEvent(String caller) {
        systemGcEvents++;
        if (caller != null) {
            systemGcCallers.merge(caller, 1L, Long::sum);
        }
    }

    public void evacuationFailure() {
        evacuationFailures++;
    }

    public void allocationStall(long nanos) {
        stalls++;
        stallNanos += nanos;
    }

    /**
     * A concurrent phase of the collector ({@code gcId} -1 when unknown; {@code endMs} -1 when the source has no
     * clock): see {@link ConcurrentWork}.
     */
    public void concurrentPhase(int gcId, String name, long endMs, long nanos) {
        concurrent.phase(gcId, name, endMs, nanos);
    }

    /**
     * The heap used before and after one stop-the-world collection, in collection order (also recorded as
     * {@link #heapAfterGc}). What the heap gained between the previous collection's end and this one's start is what
     * the application allocated meanwhile (less what the collector promoted, which a young pause does not change):
     * the allocation rate a GC log tells without any allocation profiling.
     */
    public void heapAroundGc(long timeMs, long beforeBytes, long afterBytes) {
        heapAfterGc(timeMs, afterBytes);
        // each pair of consecutive collections adds what the heap gained between them and the time it took; a
        // collection whose sizes are unknown breaks the chain rather than stretching it
        if (beforeBytes >= 0 && lastAfterBytes >= 0 && timeMs > lastAroundMs) {
            allocatedBetween += Math.max(0, beforeBytes - lastAfterBytes);
            aroundSpanMs += timeMs - lastAroundMs;
            aroundPairs++;
        }
        lastAfterBytes = beforeBytes >= 0 ? afterBytes : -1;
        lastAroundMs = timeMs;
    }

    public void heapAfterGc(long timeMs, long usedBytes) {
        heapAfterMs.add(timeMs);
        heapAfterBytes.add(usedBytes);
    }

    /**
     * A collection's wall time and its GC threads' CPU time (user + sys; unified logging's gc,cpu line). Only long
     * collections are kept: they are the ones a long-pause finding is about, and the log's 10 ms resolution makes the
     * ratio of short ones meaningless.
     */
    public void collectionCpu(long realNanos, long cpuNanos) {
        if (realNanos >= LONG_COLLECTION_NANOS) {
            longWallNanos += realNanos;
            longCpuNanos += cpuNanos;
            longCpuCount++;
        }
    }

    public void heapMax(long bytes) {
        heapMax = Math.max(heapMax, bytes);
    }

    public boolean isEmpty() {
        return pausesByKey.isEmpty() && heapAfterMs.size() == 0 && stalls == 0 && systemGcEvents == 0
                && concurrent.isEmpty();
    }

    public GcSummary build(Artifact source) {
        List<PauseStats> stats = new ArrayList<>();
        for (Map.Entry<String, LongList> e : pausesByKey.entrySet()) {
            int sep = e.getKey().indexOf('\u0000');
            long[] sorted = e.getValue().toArray();
            Arrays.sort(sorted);
            stats.add(new PauseStats(e.getKey().substring(0, sep), e.getKey().substring(sep + 1), sorted.length,
                    e.getValue().sum(), Stats.percentile(sorted, 0.50), Stats.percentile(sorted, 0.90),
                    Stats.percentile(sorted, 0.99), Stats.percentile(sorted, 0.999), sorted[sorted.length - 1]));
        }
        stats.sort(Comparator.comparingLong(PauseStats::totalNanos).reversed());
        long[][] timeline = sortByTime(timelineStart, timelinePause, timelineKey);
        // Timeline keys are insertion ordinals; the JSON names a pause's series by its index in the sorted stats.
        List<String> keys = new ArrayList<>(pausesByKey.keySet());
        long[] series = timeline[2];
        for (int i = 0; i < series.length; i++) {
            String k = keys.get((int) series[i]);
            int sep = k.indexOf('\u0000');
            for (int j = 0; j < stats.size(); j++) {
                if (stats.get(j).collector().equals(k.substring(0, sep)) && stats.get(j).cause().equals(k.substring(sep + 1))) {
                    series[i] = j;
                    break;
                }
            }
        }
        long[][] heap = sortByTime(heapAfterMs, heapAfterBytes);
        GcEvents events = new GcEvents(fullGcs, Math.max(systemGcCauses, systemGcEvents), humongous,
                evacuationFailures, stalls, stallNanos, topCallers());
        long start = rangeStartMs == Long.MAX_VALUE ? 0 : rangeStartMs;
        long end = rangeEndMs == Long.MIN_VALUE ? start : rangeEndMs;
        return new GcSummary(source, gcName, start, end, epochClock, stats, timeline[0], timeline[1], events,
                heap[0], heap[1], heapMax).withLongCollectionCpu(longCpuCount, longWallNanos, longCpuNanos)
                .withTimelineSeries(series)
                .withConcurrent(concurrent.phases(), concurrent.cycles(), concurrent.busy(timeline[0], timeline[1]))
                .withAllocationFromHeap(aroundPairs, allocatedBetween,
                        aroundSpanMs);
    }

    private List<String> topCallers() {
        List<Map.Entry<String, Long>> list = new ArrayList<>(systemGcCallers.entrySet());
        list.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size() && i < 5; i++) {
            out.add(list.get(i).getKey());
        }
        return out;
    }

    /** The lists reordered by ascending time (a stable sort), time first. */
    private static long[][] sortByTime(LongList time, LongList... values) {
        int n = time.size();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingLong(time::get));
        long[][] out = new long[1 + values.length][n];
        for (int i = 0; i < n; i++) {
            out[0][i] = time.get(idx[i]);
            for (int j = 0; j < values.length; j++) {
                out[1 + j][i] = values[j].get(idx[i]);
            }
        }
        return out;
    }
}
