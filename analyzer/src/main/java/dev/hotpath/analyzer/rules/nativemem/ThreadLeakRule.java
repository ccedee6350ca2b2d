package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.nativemem.JemallocProfileSummary;
import dev.hotpath.analyzer.nativemem.NativeMemSummary;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;
import dev.hotpath.nativemem.nmt.NmtReport;

import java.util.List;
import java.util.Set;

/**
 * {@code native.thread-leak}: the number of threads NMT counts keeps rising (each holds a stack, committed as it
 * is touched, plus thread-local malloc arenas), or NMT's Thread category grows. Defaults: {@code threadsPerMin} 20
 * and at least {@code minNewThreads} 20 over the window — pools grow to their size and stop; a leak keeps
 * starting threads. Size thresholds 5 MB/min (warning), 50 MB/min (critical), 8 MB total.
 */
public final class ThreadLeakRule extends NmtCategoryGrowthRule {
    public static final String ID = "native.thread-leak";

    public ThreadLeakRule() {
        super(ID, List.of("Thread"), 5, 50, 8);
    }

    @Override
    public String description() {
        return "The JVM's thread count (and NMT 'Thread' memory) keeps rising: threads are started and never end";
    }

    @Override
    List<Threshold> extraThresholds() {
        return List.of(new Threshold("threadsPerMin", 20, "threads/min", "thread count growth that is a warning"),
                new Threshold("minNewThreads", 20, "count", "least number of new threads over the window"));
    }

    @Override
    boolean otherwiseGrowing(RuleContext ctx, NativeTimeline tl) {
        double perMin = threadSlope(tl);
        long added = tl.nmtDelta(NmtReport::threadCount);
        return !Double.isNaN(perMin) && perMin >= ctx.threshold("threadsPerMin") && added >= ctx.threshold("minNewThreads");
    }

    private static double threadSlope(NativeTimeline tl) {
        // the slope helper works in "KiB → MB"; thread counts are passed scaled so that it returns threads/min
        return tl.nmtSlope(r -> r.threadCount() * 1024);
    }

    @Override
    void describe(RuleContext ctx, NativeTimeline tl, double slope, Finding.Builder f, Set<String> sources,
                  List<NativeMemSummary> nativemem, List<JemallocProfileSummary> jemalloc) {
        double perMin = threadSlope(tl);
        long start = tl.nmt.get(0).report().threadCount();
        long end = tl.nmt.get(tl.nmt.size() - 1).report().threadCount();
        f.title("Thread leak: " + fmt(perMin) + " new threads/min (" + start + " → " + end + " threads)");
        f.summary("NMT counts " + start + " threads at the start of the judged window and " + end + " at its end, "
                + fmt(perMin) + " threads/min; the Thread category's committed memory grows " + fmt(slope) + " MB/min.");
        f.evidence("threadsPerMin", UntrackedNativeGrowthRule.round(perMin)).evidence("threadsStart", start)
                .evidence("threadsEnd", end);
        f.recommendation("Find who starts threads that never finish (a thread dump's names, JFR jdk.ThreadStart "
                + "stacks): bound them with an ExecutorService shared across requests and shut executors down; "
                + "each leaked thread costs its stack and a malloc arena.");
    }
}
