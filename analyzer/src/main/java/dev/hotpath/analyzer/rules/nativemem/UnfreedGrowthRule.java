package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.nativemem.NativeMemSummary;
import dev.hotpath.analyzer.nativemem.NativeStack;
import dev.hotpath.analyzer.nativemem.RssSeries;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;
import dev.hotpath.nativemem.asprof.NativeMemProfile;
import dev.hotpath.nativemem.asprof.UnfreedStack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code native.unfreed-growth}: an async-profiler {@code nativemem} recording on its own (what {@code asprof -e
 * nativemem} or {@code -agentpath:…=start,event=nativemem} writes) whose unfreed memory keeps being allocated to the
 * end: the Java call site that leaves native memory unfreed in the recording's second half, at a rate. Memory kept
 * since start-up (pools, caches filled once) is unfreed too but was allocated early, so only the second half's
 * unfreed bytes count ({@link UnfreedStack#lateBytes()}). Up to three call sites, largest first. Runs with an RSS
 * timeline ({@code hotpath record}) are judged by the RSS/NMT rules, which take their culprits from the same
 * recording, so this rule stays silent there.
 */
public final class UnfreedGrowthRule implements Rule {
    public static final String ID = "native.unfreed-growth";
    private static final int MAX_SITES = 3;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.NATIVE;
    }

    @Override
    public String description() {
        return "An async-profiler nativemem recording: a call site keeps leaving native memory unfreed to the end";
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(
                new Threshold("growthMbPerMin", 10, "MB/min", "unfreed memory allocated per minute in the recording's second half that is a warning"),
                new Threshold("criticalMbPerMin", 60, "MB/min", "that rate when it is critical"),
                new Threshold("minLateMb", 8, "MB", "least unfreed memory allocated in the second half"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        if (!ctx.summaries(RssSeries.class).isEmpty()) {
            return;
        }
        for (NativeMemSummary s : ctx.summaries(NativeMemSummary.class)) {
            NativeMemProfile p = s.profile();
            List<UnfreedStack> byLate = new ArrayList<>(p.stacks());
            byLate.sort(Comparator.comparingLong(UnfreedStack::lateBytes).reversed());
            int emitted = 0;
            for (UnfreedStack u : byLate) {
                double lateMb = u.lateBytes() / (1024.0 * 1024.0);
                double perMin = p.lateBytesPerMinute(u.lateBytes()) / (1024.0 * 1024.0);
                if (emitted == MAX_SITES || perMin < ctx.threshold("growthMbPerMin") || lateMb < ctx.threshold("minLateMb")) {
                    break;
                }
                ctx.emit(finding(ctx, s, u, perMin, lateMb));
                emitted++;
            }
        }
    }

    private static Finding finding(RuleContext ctx, NativeMemSummary s, UnfreedStack u, double perMin, double lateMb) {
        NativeMemProfile p = s.profile();
        NativeStack st = NativeMemSummary.stack(u);
        double mb = u.bytes() / (1024.0 * 1024.0);
        long seconds = Math.round((p.cutoffMillis() - p.startMillis()) / 1000.0);
        Finding.Builder f = Finding.builder(ID, Category.NATIVE)
                .severity(perMin >= ctx.threshold("criticalMbPerMin") ? Severity.CRITICAL : Severity.WARNING)
                .title("Native memory left unfreed grows " + fmt(perMin) + " MB/min under " + st.culprit())
                .summary("async-profiler nativemem: " + st.culprit() + " allocated " + fmt(mb) + " MB that was not "
                        + "freed by the end of the " + seconds + " s counted (" + u.count() + " blocks, "
                        + u.stacks() + (u.stacks() == 1 ? " call path" : " call paths") + "), " + fmt(lateMb)
                        + " MB of it in the second half: still " + fmt(perMin) + " MB/min at the end. Native leaf: "
                        + u.nativeLeaf() + ".")
                .evidence("culprit", st.culprit())
                .evidence("culpritStack", u.frames().subList(0, Math.min(16, u.frames().size())))
                .evidence("nativeLeaf", u.nativeLeaf())
                .evidence("growthMbPerMin", UntrackedNativeGrowthRule.round(perMin))
                .evidence("unfreedMb", UntrackedNativeGrowthRule.round(mb))
                .evidence("lateUnfreedMb", UntrackedNativeGrowthRule.round(lateMb))
                .evidence("blocks", u.count())
                .evidence("windowSeconds", seconds)
                .source(s.source().sourceName());
        f.recommendation(advice(u));
        return f.build();
    }

    private static String advice(UnfreedStack u) {
        boolean zip = false;
        boolean direct = false;
        for (String fr : u.frames()) {
            zip |= fr.startsWith("java.util.zip.");
            direct |= Culprits.directBuffer(List.of(fr));
        }
        if (zip) {
            return Culprits.ZIP_ADVICE;
        }
        if (direct) {
            return "Release or pool the direct buffers (a ByteBuffer.allocateDirect per request keeps native memory "
                    + "until the buffer object is collected); cap the total with -XX:MaxDirectMemorySize.";
        }
        return "Free what this call site allocates, or bound it; if it goes through a JNI library, look for the "
                + "library's release call.";
    }

    static String fmt(double v) {
        return UntrackedNativeGrowthRule.fmt(v);
    }
}
