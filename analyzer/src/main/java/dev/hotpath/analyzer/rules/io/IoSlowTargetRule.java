package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.io.IoCallSite;
import dev.hotpath.analyzer.io.IoSnapshot;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;

/**
 * {@code io.slow-target}: a call site whose tail latency is far above its median. A p99 many times the p50 means a
 * minority of operations wait on something the typical one does not (device queueing, a cache miss, a slow peer,
 * lock contention in the file system), which is what requests at the tail feel.
 * Needs: {@link IoSnapshot}. Thresholds: {@code minOps} (100), {@code p99OverP50} (10), {@code minP99Ms} (1 ms).
 * Evidence: site, target, kind, op, count, p50Nanos, p99Nanos, maxNanos, p99OverP50.
 */
public final class IoSlowTargetRule implements Rule {
    @Override
    public String id() {
        return "io.slow-target";
    }

    @Override
    public Category category() {
        return Category.IO;
    }

    @Override
    public String description() {
        return "A call site whose p99 latency is many times its p50";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minOps", 100, "count", "operations at a site before its percentiles count"),
                new Threshold("p99OverP50", 10, "ratio", "p99 / p50 above which the tail is slow"),
                new Threshold("minP99Ms", 1, "ms", "p99 below which the tail is not worth a finding"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double minOps = ctx.threshold("minOps");
        double factor = ctx.threshold("p99OverP50");
        double minP99 = ctx.threshold("minP99Ms") * 1e6;
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            for (IoCallSite c : s.callSites()) {
                if (c.count() < minOps || c.p50Nanos() <= 0 || c.p99Nanos() < minP99
                        || c.p99Nanos() < factor * c.p50Nanos() || c.site().startsWith("(")
                        || c.op().equals("accept")) {
                    continue;
                }
                double ratio = IoText.round1((double) c.p99Nanos() / c.p50Nanos());
                ctx.emit(Finding.builder(id(), category())
                        .severity(Severity.WARNING)
                        .title("Slow tail at " + c.site() + ": " + c.op() + " p99 " + IoText.nanos(c.p99Nanos())
                                + " is " + ratio + "x its p50 on " + c.target())
                        .summary(c.count() + " " + c.kind() + " " + c.op() + "s: p50 " + IoText.nanos(c.p50Nanos())
                                + ", p99 " + IoText.nanos(c.p99Nanos()) + ", max " + IoText.nanos(c.maxNanos()) + ".")
                        .evidence("site", c.site()).evidence("target", c.target()).evidence("kind", c.kind())
                        .evidence("op", c.op()).evidence("count", c.count()).evidence("p50Nanos", c.p50Nanos())
                        .evidence("p99Nanos", c.p99Nanos()).evidence("maxNanos", c.maxNanos())
                        .evidence("p99OverP50", ratio)
                        .recommendation("Find what the slow 1% wait on: compare with the device (hotpath io --fio),"
                                + " look for forces or other writers on the same target, and for a socket peer check"
                                + " its own latency; move this I/O off latency-critical threads if it cannot be fixed.")
                        .source(s.source().sourceName())
                        .build());
            }
        }
    }
}
