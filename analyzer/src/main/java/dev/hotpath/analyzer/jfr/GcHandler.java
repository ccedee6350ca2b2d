package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.rules.gc.GcSummaryBuilder;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrObject;

import java.util.Set;

/**
 * GC events into a {@link dev.hotpath.analyzer.rules.gc.GcSummary}. A collection's stop-the-world time is
 * {@code jdk.GarbageCollection.sumOfPauses} (for G1 young and full collections the whole event; for a G1 concurrent
 * cycle its remark and cleanup; for ZGC its three short pauses).
 */
final class GcHandler implements JfrHandler {
    /** Stop-the-world collections: the heap before and after them tells what was allocated in between. */
    private static final Set<String> STOP_THE_WORLD = Set.of("G1New", "G1Full", "ParallelScavenge", "ParallelOld",
            "DefNew", "SerialOld");

    private final GcSummaryBuilder builder = new GcSummaryBuilder();
    private final JfrSettings settings;
    /**
     * Per gcId: heap used before, heap used after, when the after was taken (ms), and whether the collection was
     * stop-the-world (1), concurrent (0) or not seen (-1). Resolved in gcId order at {@link #finish}: the heap
     * summaries and the collection's own event come from different threads' buffers, in no guaranteed order.
     */
    private final java.util.Map<Long, long[]> heapByGc = new java.util.HashMap<>();

    GcHandler(JfrSettings settings) {
        this.settings = settings;
    }
    private boolean sawCollection;
    /**
     * Shenandoah's jdk.GarbageCollection events, held to the end: only its jdk.GCPhasePause "Pause Full" (same gcId,
     * in no guaranteed order relative to the collection's event) tells a full GC from a concurrent or degenerated
     * cycle. Named {@code Shenandoah Full} then, as the GC-log reader names them, so gc.full-gcs sees them.
     */
    private final java.util.List<Held> shenandoah = new java.util.ArrayList<>();
    private final java.util.Set<Long> fullGcIds = new java.util.HashSet<>();
    private static final int MAX_HELD = 1_000_000;

    private record Held(long gcId, long startMs, String cause, long pauseNanos) {
    }
    private final StackTally names = new StackTally(new dev.hotpath.analyzer.profile.CollapsedProfile(1));

    @Override
    public boolean mergesByReplay() {
        return true;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("jdk.GarbageCollection", "jdk.SystemGC", "jdk.EvacuationFailed", "jdk.ZAllocationStall",
                "jdk.GCHeapSummary", "jdk.GCConfiguration", "jdk.GCPhasePause", "jdk.GCPhaseConcurrent");
    }

    @Override
    public void accept(JfrEvent e) {
        switch (e.type().name()) {
            case "jdk.GarbageCollection" -> {
                sawCollection = true;
                String name = e.getString("name");
                long[] h = heap(e.getLong("gcId"));
                if (h != null) {
                    h[3] = STOP_THE_WORLD.contains(name) ? 1 : 0;
                }
                if ("Shenandoah".equals(name) && shenandoah.size() < MAX_HELD) {
                    // named once its phases are known (see finish): JFR calls every Shenandoah cycle "Shenandoah"
                    shenandoah.add(new Held(e.getLong("gcId"), e.startMillis(), e.getString("cause"),
                            e.getDurationNanos("sumOfPauses")));
                } else {
                    builder.collection(e.startMillis(), name, e.getString("cause"),
                            e.getDurationNanos("sumOfPauses"));
                }
            }
            case "jdk.GCPhasePause" -> {
                String phase = e.getString("name");
                if (phase != null && phase.startsWith("Pause Full")) {
                    fullGcIds.add(e.getLong("gcId"));
                }
            }
            case "jdk.GCPhaseConcurrent" -> builder.concurrentPhase((int) e.getLong("gcId"), e.getString("name"),
                    Math.floorDiv(e.endNanos(), 1_000_000L), e.durationNanos());
            case "jdk.SystemGC" -> builder.systemGcEvent(e.stackTrace() == null ? null
                    : names.appFrame(e.stackTrace()));
            case "jdk.EvacuationFailed" -> builder.evacuationFailure();
            case "jdk.ZAllocationStall" -> builder.allocationStall(e.durationNanos());
            case "jdk.GCHeapSummary" -> heapSummary(e);
            case "jdk.GCConfiguration" -> builder.gcName(collectorFamily(e.getString("youngCollector"),
                    e.getString("oldCollector")));
            default -> { }
        }
    }

    private void heapSummary(JfrEvent e) {
        JfrObject space = e.getObject("heapSpace");
        if (space != null) {
            builder.heapMax(space.getLong("reservedSize"));
        }
        String when = e.getString("when");
        boolean after = "After GC".equals(when);
        if (!after && !"Before GC".equals(when)) {
            return;
        }
        long[] h = heap(e.getLong("gcId"));
        if (h == null) {
            if (after) {
                builder.heapAfterGc(e.startMillis(), e.getLong("heapUsed"));
            }
        } else if (after) {
            h[1] = e.getLong("heapUsed");
            h[2] = e.startMillis();
        } else {
            h[0] = e.getLong("heapUsed");
        }
    }

    /** The gcId's heap record, made on first sight; null past {@link #MAX_HELD} collections. */
    private long[] heap(long gcId) {
        long[] h = heapByGc.get(gcId);
        if (h == null && heapByGc.size() < MAX_HELD) {
            h = new long[] {-1, -1, Long.MIN_VALUE, -1};
            heapByGc.put(gcId, h);
        }
        return h;
    }

    /** JFR's collector names (G1New/G1Old, ParallelScavenge/ParallelOld, DefNew/SerialOld, Z, Shenandoah) to the GC's. */
    static String collectorFamily(String young, String old) {
        String y = young == null ? "" : young;
        String o = old == null ? "" : old;
        if (y.startsWith("G1")) {
            return "G1";
        }
        if (y.startsWith("Parallel") || o.startsWith("Parallel")) {
            return "Parallel";
        }
        if (y.equals("DefNew") || o.startsWith("Serial")) {
            return "Serial";
        }
        if (y.startsWith("Z") || o.startsWith("Z")) {
            return "Z";
        }
        if (y.startsWith("Shenandoah") || o.startsWith("Shenandoah")) {
            return "Shenandoah";
        }
        return o.isEmpty() ? y : o;
    }

    @Override
    public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
        for (Held h : shenandoah) {
            builder.collection(h.startMs(), fullGcIds.contains(h.gcId()) ? "Shenandoah Full" : "Shenandoah", h.cause(),
                    h.pauseNanos());
        }
        long[] ids = heapByGc.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        for (long id : ids) {
            long[] h = heapByGc.get(id);
            if (h[1] >= 0 && h[2] != Long.MIN_VALUE) {
                builder.heapAroundGc(h[2], h[3] == 1 ? h[0] : -1, h[1]);
            }
        }
        boolean asyncProfiler = artifact.type() == ArtifactType.ASYNC_PROFILER_JFR;
        if (builder.isEmpty() || asyncProfiler && !sawCollection) {
            // async-profiler writes no GC events (a heap summary or two at most): nothing to say about GC, and nothing
            // the user disabled
            if (!asyncProfiler) {
                Boolean enabled = settings.enabled("jdk.GarbageCollection");
                ctx.note(artifact.sourceName() + (enabled == null
                        ? ": no GC events recorded (jdk.GarbageCollection disabled?)"
                        : enabled ? ": no garbage collection ran during the recording"
                        : ": jdk.GarbageCollection was disabled in the recording's settings: no GC findings"));
            }
            return;
        }
        builder.range(info.startMs(), info.endMs());
        ctx.add(builder.build(artifact));
    }
}
