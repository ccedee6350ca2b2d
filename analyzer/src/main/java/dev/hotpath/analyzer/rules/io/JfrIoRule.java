package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.ArrayList;
import java.util.List;

import static dev.hotpath.analyzer.jfr.internal.Stats.fmt;
import static dev.hotpath.analyzer.jfr.internal.Stats.mib;
import static dev.hotpath.analyzer.jfr.internal.Stats.ms;
import static dev.hotpath.analyzer.jfr.internal.Stats.round1;

/**
 * JFR's slow file or socket operations by target, stating the recording's threshold so the reader knows what JFR
 * could not see. Score: thread-time in recorded operations on one target as a share of wall time (the same measure
 * as lock contention: 100% = a thread always waiting on that file or host). Below the warning share the rule still
 * reports the slowest targets as {@code info}, since a slow operation above JFR's threshold is itself a fact worth
 * a line. Needs: {@link JfrIoSummary}. Evidence: target, op, count, bytes, totalMs, sharePercent, maxMs, frame,
 * recordingThreshold.
 */
public abstract class JfrIoRule implements Rule {
    private final String id;
    private final String kind;

    JfrIoRule(String id, String kind) {
        this.id = id;
        this.kind = kind;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Category category() {
        return Category.IO;
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("warningSharePercent", 10, "percent",
                        "thread-time in slow operations on one target as a share of wall time"),
                new Threshold("criticalSharePercent", 50, "percent", "share at which the target dominates the run"),
                new Threshold("top", 3, "count", "targets listed"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        for (JfrIoSummary s : ctx.summaries(JfrIoSummary.class)) {
            String readEvent = "jdk." + (kind.equals("file") ? "File" : "Socket") + "Read";
            String threshold = s.thresholds().getOrDefault(readEvent, "unknown");
            List<JfrIoSummary.Target> mine = new ArrayList<>();
            for (JfrIoSummary.Target t : s.targets()) {
                if (t.kind().equals(kind)) {
                    mine.add(t);
                }
            }
            if (mine.isEmpty() || s.durationMs() <= 0) {
                continue;
            }
            int listed = 0;
            for (JfrIoSummary.Target t : mine) {
                double share = round1(100.0 * t.totalNanos() / 1e6 / s.durationMs());
                Severity sev = share >= ctx.threshold("criticalSharePercent") ? Severity.CRITICAL
                        : share >= ctx.threshold("warningSharePercent") ? Severity.WARNING : Severity.INFO;
                if (sev == Severity.INFO && listed >= ctx.threshold("top")) {
                    continue;
                }
                listed++;
                String th = s.thresholds().getOrDefault("jdk." + (kind.equals("file") ? "File" : "Socket")
                        + (t.op().equals("read") ? "Read" : "Write"), threshold);
                ctx.emit(Finding.builder(id, Category.IO).severity(sev)
                        .title("Slow " + kind + " " + t.op() + "s on " + t.target() + ": " + fmt(ms(t.totalNanos()))
                                + " ms (" + fmt(share) + "% of wall time)")
                        .summary(t.count() + " " + kind + " " + t.op() + "s of " + t.target() + " slower than " + th
                                + " took " + fmt(ms(t.totalNanos())) + " ms (" + fmt(share) + "% of wall time, longest "
                                + fmt(ms(t.maxNanos())) + " ms, " + fmt(mib(t.bytes())) + " MB), mostly from "
                                + t.frame() + ". JFR recorded only operations slower than " + th
                                + "; faster ones are invisible here (hotpath's agent counts them all).")
                        .evidence("target", t.target())
                        .evidence("op", t.op())
                        .evidence("count", t.count())
                        .evidence("bytes", t.bytes())
                        .evidence("totalMs", ms(t.totalNanos()))
                        .evidence("sharePercent", share)
                        .evidence("maxMs", ms(t.maxNanos()))
                        .evidence("frame", t.frame())
                        .evidence("recordingThreshold", th)
                        .recommendation(advice(t))
                        .source(s.source().sourceName()).build());
            }
        }
    }

    abstract String advice(JfrIoSummary.Target t);

}
