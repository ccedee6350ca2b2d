package dev.hotpath.analyzer.rules.allocation;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.profile.ProfileSummary;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.ArrayList;
import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.mib;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code allocation.hot-site}: one application frame responsible for a large share of a high allocation rate.
 *
 * <p>Allocation is cheap per object but its rate sets how often young collections run; a rate in the hundreds of
 * MB/s keeps a core busy collecting. The rule speaks when the JVM-wide rate crosses {@code warningMBps} and names the
 * frame with the largest share (from the allocation profile) and the top classes. Needs: an alloc
 * {@link ProfileSummary} and {@link AllocationSummary} (JFR ObjectAllocationSample or TLAB events; async-profiler).
 *
 * <p>A second model catches churn below that rate: one application frame that allocates a dominant share
 * ({@code dominantSharePercent}) of everything the JVM allocates, at a rate that is not noise ({@code minFrameMBps}).
 * Request-handling services spread allocation over many frames; one frame owning a third of it is a per-call temporary
 * (a body collected into a growing buffer and copied) whose cost rises with load even when this run's load was light.
 * Below {@code minFrameMBps} a dominant frame is ordinary work, not churn: a cache or reader that allocates each
 * payload it serves owns most of a quiet service's allocation at a few MB/s, and a young collection of a few MB/s
 * of dead objects costs well under 1% of a core.
 *
 * <p>Evidence: rateMBps, totalMb, frame, sharePercent, frameMBps, topClasses, method, trigger (rate|dominant-site).
 */
public final class AllocationHotSiteRule implements Rule {
    public static final String ID = "allocation.hot-site";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("warningMBps", 300, "MB/s", "JVM-wide allocation rate that keeps a core busy collecting"),
            new Threshold("criticalMBps", 1000, "MB/s", "allocation rate at which GC dominates CPU"),
            new Threshold("minSharePercent", 20, "percent", "share of all allocation at the named frame"),
            new Threshold("dominantSharePercent", 30, "percent",
                    "share of all allocation at one application frame that is churn whatever the JVM-wide rate"),
            new Threshold("minFrameMBps", 24, "MB/s", "allocation rate of a dominant frame below which it is noise"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.ALLOCATION;
    }

    @Override
    public String description() {
        return "High allocation rate with one application frame allocating a large share";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (AllocationSummary a : ctx.summaries(AllocationSummary.class)) {
            double rate = round1(a.bytesPerSecond() / (1024 * 1024));
            ProfileSummary prof = ctx.summaries(ProfileSummary.class).stream()
                    .filter(p -> p.type().equals("alloc") && p.source().equals(a.source())).findFirst().orElse(null);
            if (prof == null || prof.profile().weight() <= 0) {
                continue;
            }
            CollapsedProfile.Share top = prof.profile().appFrames(1).get(0);
            double share = round1(100.0 * top.weight() / prof.profile().weight());
            double frameRate = round1(rate * share / 100);
            boolean byRate = rate >= ctx.threshold("warningMBps") && share >= ctx.threshold("minSharePercent");
            boolean dominant = !dev.hotpath.analyzer.profile.Frames.isRuntime(top.frame())
                    && share >= ctx.threshold("dominantSharePercent")
                    && frameRate >= ctx.threshold("minFrameMBps");
            if (!byRate && !dominant) {
                continue;
            }
            Severity sev = rate >= ctx.threshold("criticalMBps") ? Severity.CRITICAL : Severity.WARNING;
            List<String> classes = new ArrayList<>();
            a.byClass().stream().limit(3).forEach(c -> classes.add(c.className() + " ("
                    + fmt(round1(100.0 * c.bytes() / Math.max(1, a.totalBytes()))) + "%)"));
            ctx.emit(Finding.builder(ID, Category.ALLOCATION).severity(sev)
                    .title(top.frame() + " allocates " + fmt(frameRate) + " MB/s (" + fmt(share) + "% of all)")
                    .summary("The JVM allocated " + fmt(rate) + " MB/s (" + fmt(mib(a.totalBytes())) + " MB in "
                            + fmt(round1(a.durationMs() / 1000.0)) + " s, estimated from " + a.method() + "); "
                            + fmt(share) + "% of it in " + top.frame() + ". Top classes: " + String.join(", ", classes)
                            + "." + (byRate ? "" : " The JVM-wide rate is modest, but one frame owning this share of "
                            + "all allocation is per-call temporary data that grows with load."))
                    .evidence("trigger", byRate ? "rate" : "dominant-site")
                    .evidence("rateMBps", rate)
                    .evidence("totalMb", mib(a.totalBytes()))
                    .evidence("seconds", round1(a.durationMs() / 1000.0))
                    .evidence("frame", top.frame())
                    .evidence("sharePercent", share)
                    .evidence("frameMBps", frameRate)
                    .evidence("topClasses", classes)
                    .evidence("method", a.method())
                    .recommendation("Reuse or pool the buffers allocated in " + top.frame() + ", size collections "
                            + "up front, avoid boxing and temporary copies there; each MB/s removed is young-GC work saved.")
                    .source(a.source().sourceName()).build());
        }
    }
}
