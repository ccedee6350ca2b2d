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
    private final GcSummaryBuilder builder = new GcSummaryBuilder();
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
                "jdk.GCHeapSummary", "jdk.GCConfiguration", "jdk.GCPhasePause");
    }

    @Override
    public void accept(JfrEvent e) {
        switch (e.type().name()) {
            case "jdk.GarbageCollection" -> {
                sawCollection = true;
                String name = e.getString("name");
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
        if ("After GC".equals(e.getString("when"))) {
            builder.heapAfterGc(e.startMillis(), e.getLong("heapUsed"));
        }
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
        boolean asyncProfiler = artifact.type() == ArtifactType.ASYNC_PROFILER_JFR;
        if (builder.isEmpty() || asyncProfiler && !sawCollection) {
            // async-profiler writes no GC events (a heap summary or two at most): nothing to say about GC, and nothing
            // the user disabled
            if (!asyncProfiler) {
                ctx.note(artifact.sourceName() + ": no GC events recorded (jdk.GarbageCollection disabled?)");
            }
            return;
        }
        builder.range(info.startMs(), info.endMs());
        ctx.add(builder.build(artifact));
    }
}
