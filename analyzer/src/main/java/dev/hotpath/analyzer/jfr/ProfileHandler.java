package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.jfr.read.FieldIndex;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrType;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.profile.ProfileSummary;

import java.util.Set;

/**
 * Sampled stacks into a {@link ProfileSummary}: CPU from {@code jdk.ExecutionSample} (one sample each) or, when a
 * recording has none, from JDK 25's CPU-time sampler {@code jdk.CPUTimeSample} (enabled on its own with
 * {@code jdk.CPUTimeSample#enabled=true}; one sample per CPU-time period of a thread), wall from
 * {@code jdk.NativeMethodSample}, allocation from {@code jdk.ObjectAllocationSample} weights (JDK 16+; bytes the
 * sampler stands for) or, when that event is absent (older JDKs, async-profiler), the TLAB events' sizes.
 */
final class ProfileHandler implements JfrHandler {
    private final String type;
    private final String unit;
    private final Set<String> events;
    private final StackTally tally = new StackTally(new CollapsedProfile());
    private final StackTally tlab = new StackTally(new CollapsedProfile());
    /** jdk.CPUTimeSample stacks, used when there are no jdk.ExecutionSample ones (never both: one CPU profile). */
    private final StackTally cpuTime = new StackTally(new CollapsedProfile());
    private boolean sawWeighted;
    private final FieldIndex fields = new FieldIndex("weight", "tlabSize", "allocationSize", "samples");

    private ProfileHandler(String type, String unit, Set<String> events) {
        this.type = type;
        this.unit = unit;
        this.events = events;
    }

    static ProfileHandler cpu() {
        return new ProfileHandler("cpu", "samples", Set.of("jdk.ExecutionSample", "jdk.CPUTimeSample"));
    }

    /**
     * async-profiler's wall-clock mode ({@code event=wall}) writes {@code profiler.WallClockSample}: a thread's stack
     * whatever its state, {@code samples} samples each (several when the profiler batched an idle thread's).
     */
    static ProfileHandler wall() {
        return new ProfileHandler("wall", "samples", Set.of("profiler.WallClockSample"));
    }

    static ProfileHandler alloc() {
        return new ProfileHandler("alloc", "bytes", Set.of("jdk.ObjectAllocationSample",
                "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB"));
    }

    @Override
    public Set<String> eventTypes() {
        return events;
    }

    @Override
    public void prepare(JfrType t) {
        fields.of(t);
    }

    @Override
    public void accept(JfrEvent e) {
        int[] at = fields.of(e.type());
        switch (e.type().name()) {
            case "jdk.ExecutionSample" -> tally.add(e.stackTrace(), 1);
            case "jdk.CPUTimeSample" -> cpuTime.add(e.stackTrace(), 1);
            case "profiler.WallClockSample" -> tally.add(e.stackTrace(), Math.max(1, e.getLong(at[3])));
            case "jdk.ObjectAllocationSample" -> {
                sawWeighted = true;
                tally.add(e.stackTrace(), e.getLong(at[0]));
            }
            // A new TLAB stands for the whole TLAB's worth of allocation by that thread; an outside-TLAB
            // allocation for itself. This is how async-profiler and JMC estimate pressure from TLAB events.
            case "jdk.ObjectAllocationInNewTLAB" -> tlab.add(e.stackTrace(), e.getLong(at[1]));
            case "jdk.ObjectAllocationOutsideTLAB" -> tlab.add(e.stackTrace(), e.getLong(at[2]));
            default -> { }
        }
    }

    @Override
    public void absorb(JfrHandler later) {
        ProfileHandler o = (ProfileHandler) later;
        tally.absorb(o.tally);
        tlab.absorb(o.tlab);
        cpuTime.absorb(o.cpuTime);
        sawWeighted |= o.sawWeighted;
    }

    @Override
    public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
        // allocation: prefer the weighted samples; TLAB events only stand in when the sampler was off
        CollapsedProfile p = "alloc".equals(type) && !sawWeighted ? tlab.finish() : tally.finish();
        if ("cpu".equals(type) && p.samples() == 0) {
            p = cpuTime.finish();
        }
        if (p.samples() > 0) {
            ctx.add(new ProfileSummary(artifact, type, unit, p, info.durationMs()));
        }
    }
}
