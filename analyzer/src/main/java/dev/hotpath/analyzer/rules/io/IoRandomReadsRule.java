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
 * {@code io.random-reads}: a hot site whose file reads never continue where the previous read on the stream/channel
 * ended, in chunks small enough that read-ahead cannot help. Random small reads cost a device seek (or a page-cache
 * miss each) where a sequential scan of the same data streams at full bandwidth.
 * Needs: {@link IoSnapshot}. Thresholds: {@code minOps} (1000 reads), {@code maxAvgBytes} (65536 B).
 * Evidence: site, target, count, bytes, avgBytes, pattern, p50Nanos, p99Nanos.
 */
public final class IoRandomReadsRule implements Rule {
    @Override
    public String id() {
        return "io.random-reads";
    }

    @Override
    public Category category() {
        return Category.IO;
    }

    @Override
    public String description() {
        return "Small random file reads from one call site where a sequential pass would do";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minOps", 1000, "count", "random reads at one site before it counts"),
                new Threshold("maxAvgBytes", 65536, "bytes", "average read size below which reads are small"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double minOps = ctx.threshold("minOps");
        double maxAvg = ctx.threshold("maxAvgBytes");
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            for (IoCallSite c : s.callSites()) {
                if (!c.isFile() || !c.op().equals("read") || !c.pattern().equals("random") || c.count() < minOps
                        || c.avgBytes() >= maxAvg || c.site().startsWith("(")) {
                    continue;
                }
                double avg = IoText.round1(c.avgBytes());
                ctx.emit(Finding.builder(id(), category())
                        .severity(Severity.WARNING)
                        .title("Random reads at " + c.site() + ": " + c.count() + " reads of " + avg
                                + " bytes on average from " + (c.isFolded()
                                ? "files past the agent's maxSites" : c.target()))
                        .summary("No read continued where the previous one on its stream or channel ended; p50 "
                                + IoText.nanos(c.p50Nanos()) + ", p99 " + IoText.nanos(c.p99Nanos()) + " per read.")
                        .evidence("site", c.site()).evidence("target", c.target()).evidence("count", c.count())
                        .evidence("bytes", c.bytes()).evidence("avgBytes", avg).evidence("pattern", c.pattern())
                        .evidence("p50Nanos", c.p50Nanos()).evidence("p99Nanos", c.p99Nanos())
                        .recommendation("If the data is consumed whole, read it sequentially in large chunks (1 MiB)"
                                + " and let read-ahead work; otherwise sort the offsets, coalesce neighbouring"
                                + " ranges, or cache the hot ones.")
                        .source(s.source().sourceName())
                        .build());
            }
        }
    }
}
