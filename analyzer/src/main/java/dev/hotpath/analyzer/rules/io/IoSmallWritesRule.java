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
 * {@code io.small-writes}: a hot call site writing small chunks unbuffered. Each write is one system call, whose
 * fixed cost (~1 us to the page cache, more to a socket) dominates below a few KiB, so a site doing thousands of
 * sub-KiB writes spends its time in syscalls rather than moving data.
 * Needs: {@link IoSnapshot}. Thresholds: {@code minOps} (1000 writes), {@code maxAvgBytes} (1024 B average),
 * {@code criticalOps} (100000 writes). Evidence: site, target, kind, count, bytes, avgBytes, p50Nanos, p99Nanos,
 * writesPerSecond.
 */
public final class IoSmallWritesRule implements Rule {
    @Override
    public String id() {
        return "io.small-writes";
    }

    @Override
    public Category category() {
        return Category.IO;
    }

    @Override
    public String description() {
        return "Many small unbuffered writes from one call site (one system call per few bytes)";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minOps", 1000, "count", "writes at one site before it counts as hot"),
                new Threshold("maxAvgBytes", 1024, "bytes", "average write size below which writes are small"),
                new Threshold("criticalOps", 100_000, "count", "writes at which the finding becomes critical"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double minOps = ctx.threshold("minOps");
        double maxAvg = ctx.threshold("maxAvgBytes");
        double critical = ctx.threshold("criticalOps");
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            for (IoCallSite c : s.callSites()) {
                if (!c.op().equals("write") || c.count() < minOps || c.avgBytes() >= maxAvg
                        || c.site().startsWith("(")) {
                    continue;
                }
                double avg = IoText.round1(c.avgBytes());
                double perSecond = s.seconds() > 0 ? IoText.round1(c.count() / s.seconds()) : 0;
                ctx.emit(Finding.builder(id(), category())
                        .severity(c.count() >= critical ? Severity.CRITICAL : Severity.WARNING)
                        .title("Small writes at " + c.site() + ": " + c.count() + " writes of " + avg
                                + " bytes on average to " + c.target())
                        .summary(c.count() + " " + c.kind() + " writes moved " + c.bytes() + " bytes (" + avg
                                + " bytes per write, p50 " + IoText.nanos(c.p50Nanos()) + ", p99 "
                                + IoText.nanos(c.p99Nanos()) + " each). Every write is a system call, so the per-call"
                                + " cost, not the data, dominates.")
                        .evidence("site", c.site()).evidence("target", c.target()).evidence("kind", c.kind())
                        .evidence("count", c.count()).evidence("bytes", c.bytes()).evidence("avgBytes", avg)
                        .evidence("p50Nanos", c.p50Nanos()).evidence("p99Nanos", c.p99Nanos())
                        .evidence("writesPerSecond", perSecond)
                        .recommendation("Buffer the writes at " + c.site() + ": wrap the stream in a"
                                + " BufferedOutputStream of 64 KiB or more, or batch records into one ByteBuffer per"
                                + " write, and flush at record-group boundaries.")
                        .source(s.source().sourceName())
                        .build());
            }
        }
    }
}
