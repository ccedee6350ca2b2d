package dev.hotpath.analyzer.rules.threads;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.ArrayList;
import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * {@code threads.exceptions}: exceptions created at a rate where their cost shows.
 *
 * <p>Creating a Throwable walks the stack (microseconds each), so thousands per second are a measurable CPU cost
 * and usually mean exceptions used for control flow. The rate comes from {@code jdk.ExceptionStatistics}; the site
 * from {@code jdk.JavaExceptionThrow} when the recording enabled it (JFR's {@code exceptions=all}); otherwise the
 * finding says the site is unknown and how to record it.
 *
 * <p>The throw events name the site only when they account for the storm: JFR's default settings record errors
 * ({@code jdk.JavaErrorThrow}) but not exceptions, so a recording without {@code exceptions=all} has a handful of
 * JDK-internal errors (method-handle linkage during warm-up) beside thousands of uncounted exceptions. When the
 * recorded throws are fewer than {@value #MIN_SITE_COVERAGE_PERCENT}% of the throwables created, the finding says the
 * site is unknown rather than name one of those errors as the storm's.
 *
 * <p>Evidence: perSecond, throwables, seconds, thrownClass, frame, siteCount, siteSharePercent.
 */
public final class ExceptionStormRule implements Rule {
    public static final String ID = "threads.exceptions";
    /** Recorded throw events, as a share of the throwables created, below which they do not name the site. */
    static final int MIN_SITE_COVERAGE_PERCENT = 10;

    private static final List<Threshold> THRESHOLDS = List.of(
            new Threshold("warningPerSecond", 1000, "per second", "throwables created per second"),
            new Threshold("criticalPerSecond", 20000, "per second", "rate at which stack walking costs most of a core"));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Category category() {
        return Category.THREADS;
    }

    @Override
    public String description() {
        return "Exceptions created at a high rate, by site";
    }

    @Override
    public List<Threshold> thresholds() {
        return THRESHOLDS;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (ThreadSummary t : ctx.summaries(ThreadSummary.class)) {
            if (t.throwables() < 0 || t.throwablesWindowMs() <= 0) {
                continue;
            }
            double perSecond = round1(t.throwables() * 1000.0 / t.throwablesWindowMs());
            if (perSecond < ctx.threshold("warningPerSecond")) {
                continue;
            }
            Severity sev = perSecond >= ctx.threshold("criticalPerSecond") ? Severity.CRITICAL : Severity.WARNING;
            long siteTotal = t.exceptionSites().stream().mapToLong(ThreadSummary.ExceptionSite::count).sum();
            boolean covered = siteTotal * 100 >= MIN_SITE_COVERAGE_PERCENT * t.throwables();
            ThreadSummary.ExceptionSite site = t.exceptionSites().isEmpty() || !covered ? null
                    : t.exceptionSites().get(0);
            double siteShare = site == null ? 0 : round1(100.0 * site.count() / Math.max(1, siteTotal));
            double seconds = round1(t.throwablesWindowMs() / 1000.0);
            List<String> sites = new ArrayList<>();
            t.exceptionSites().stream().limit(3).forEach(s -> sites.add(s.thrownClass() + " at " + s.frame()
                    + " (" + s.count() + ")"));
            String where = site == null && siteTotal > 0
                    ? " The recording's " + siteTotal + " throw events (errors only, without exceptions=all) are too"
                    + " few to be these, so the site is unknown (record with exceptions=all)."
                    : site == null
                    ? " The recording has no exception events, so the site is unknown (record with exceptions=all)."
                    : " Most (" + fmt(siteShare) + "% of " + siteTotal + " recorded) are " + site.thrownClass()
                    + " thrown at " + site.frame() + ".";
            ctx.emit(Finding.builder(ID, Category.THREADS).severity(sev)
                    .title(fmt(perSecond) + " exceptions per second" + (site == null ? ""
                            : " (" + site.thrownClass() + " at " + site.frame() + ")"))
                    .summary(t.throwables() + " throwables were created in " + fmt(seconds) + " s (" + fmt(perSecond)
                            + " per second)." + where)
                    .evidence("perSecond", perSecond)
                    .evidence("throwables", t.throwables())
                    .evidence("seconds", seconds)
                    .evidence("thrownClass", site == null ? "" : site.thrownClass())
                    .evidence("frame", site == null ? "" : site.frame())
                    .evidence("siteCount", site == null ? 0L : site.count())
                    .evidence("siteSharePercent", siteShare)
                    .evidence("sites", sites)
                    .recommendation(site == null
                            ? "Record with -XX:StartFlightRecording:settings=profile,exceptions=all for a short while "
                            + "to find the throwing site, then replace the exception with a return value."
                            : "Stop using exceptions for control flow in " + site.frame() + " (validate before "
                            + "parsing, return a status); if the exception must stay, reuse a preallocated instance "
                            + "or override fillInStackTrace.")
                    .source(t.source().sourceName()).build());
        }
    }
}
