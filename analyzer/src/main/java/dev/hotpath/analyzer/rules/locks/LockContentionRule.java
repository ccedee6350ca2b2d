package dev.hotpath.analyzer.rules.locks;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.ms;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code locks.contention}: threads queueing on one lock.
 *
 * <p>Score: blocked thread-time on a lock class at a blocking frame as a share of the wall time the lock was contended
 * (100% = on average one thread always waiting there). This measures lost concurrency directly, whatever the
 * thread count. The wall time is the span from the first to the last recorded block, not the whole recording: a
 * service records before and after its load, and a lock contended only under load would be diluted by idle minutes.
 * The span counts only for repeated contention (at least {@code minBlocks} blocks from at least two threads, over at
 * least {@code minSpanSeconds}); a few blocks (class loading at start-up) are measured against the whole recording.
 * Since only blocks longer than the recording's threshold (20 ms in JFR's profile settings) are recorded, the share
 * is a lower bound, and a few percent of recorded blocks already means critical sections held for tens of ms. Needs: {@link LockSummary} (JFR {@code JavaMonitorEnter}, {@code ThreadPark} on locks). Only blocks
 * above the recording's threshold are recorded, so the figure is a lower bound and the finding says which threshold.
 *
 * <p>Evidence: lockClass, frame, kind, count, blockedMs, sharePercent, windowSeconds, maxBlockMs, threads,
 * threadCount, threshold, enteredInApp (false: the monitor is entered in library code; reported as info).
 */
public final class LockContentionRule implements Rule {
    public static final String ID = "locks.contention";

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("warningSharePercent", 3, "percent",
                    "recorded blocked thread-time on one lock as a share of the wall time it was contended"),
            new Threshold("minBlocks", 10, "count", "recorded blocks needed to measure against the contended span"),
            new Threshold("minSpanSeconds", 5, "s", "shortest contended span used as the wall time"),
            new Threshold("criticalSharePercent", 100, "percent",
                    "blocked share at which, on average, a whole thread is always waiting on the lock"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.LOCKS;
    }

    @Override
    public String description() {
        return "Contended monitors and locks: blocked thread-time as a share of wall time, by lock class and frame";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double warn = ctx.threshold("warningSharePercent");
        double crit = ctx.threshold("criticalSharePercent");
        for (LockSummary s : ctx.summaries(LockSummary.class)) {
            if (s.durationMs() <= 0) {
                continue;
            }
            for (LockSummary.Contention c : s.contentions()) {
                boolean repeated = c.count() >= ctx.threshold("minBlocks") && c.threadCount() >= 2 && c.spanMs() > 0;
                double windowMs = repeated
                        ? Math.min(s.durationMs(), Math.max(c.spanMs(), ctx.threshold("minSpanSeconds") * 1000))
                        : s.durationMs();
                double share = round1(100.0 * c.totalNanos() / 1e6 / windowMs);
                if (share < warn) {
                    continue;
                }
                // A monitor taken inside JDK/library code (a selector's internal lock, a stream's lock) is not a
                // critical section the application wrote; it is context for the calling frame, reported as info.
                Severity sev = !c.enteredInApp() ? Severity.INFO
                        : share >= crit ? Severity.CRITICAL : Severity.WARNING;
                String event = c.kind().equals("monitor") ? "jdk.JavaMonitorEnter" : "jdk.ThreadPark";
                String threshold = s.thresholds().getOrDefault(event, "unknown");
                String how = c.kind().equals("monitor") ? "synchronized on" : "parked on";
                double blocked = ms(c.totalNanos());
                ctx.emit(Finding.builder(ID, Category.LOCKS).severity(sev)
                        .title(c.threadCount() + " threads blocked " + fmt(share) + "% of wall time on "
                                + c.lockClass() + " in " + c.frame())
                        .summary(c.threadCount() + " threads were " + how + " " + c.lockClass() + " in " + c.frame()
                                + " " + c.count() + " times for " + fmt(blocked) + " ms in total (" + fmt(share)
                                + "% of the " + fmt(round1(windowMs / 1000.0)) + " s " + (repeated ? "it was contended" : "recording")
                                + "; longest "
                                + fmt(ms(c.maxNanos())) + " ms). Only blocks longer than " + threshold
                                + " were recorded, so the true figure is higher."
                                + (c.enteredInApp() ? "" : " The lock is taken inside library code that "
                                + c.frame() + " calls, not by the application itself."))
                        .evidence("lockClass", c.lockClass())
                        .evidence("frame", c.frame())
                        .evidence("kind", c.kind())
                        .evidence("count", c.count())
                        .evidence("blockedMs", blocked)
                        .evidence("sharePercent", share)
                        .evidence("recordingSeconds", round1(s.durationMs() / 1000.0))
                        .evidence("windowSeconds", round1(windowMs / 1000.0))
                        .evidence("maxBlockMs", ms(c.maxNanos()))
                        .evidence("threads", c.threads())
                        .evidence("threadCount", (long) c.threadCount())
                        .evidence("recordingThreshold", threshold)
                        .evidence("enteredInApp", c.enteredInApp())
                        .recommendation("Shorten the critical section in " + c.frame() + " (move I/O and slow work "
                                + "out of the lock), split the lock (striping, per-key locks), or replace it with a "
                                + "concurrent structure (ConcurrentHashMap, LongAdder, a lock-free queue).")
                        .source(s.source().sourceName()).build());
            }
        }
    }
}
