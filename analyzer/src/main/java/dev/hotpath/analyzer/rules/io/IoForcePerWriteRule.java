package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.io.IoCallSite;
import dev.hotpath.analyzer.io.IoSnapshot;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code io.force-per-write}: a file forced (fsync/fdatasync via FileChannel.force) about as often as it is written.
 * A force waits for the device to persist, typically 0.1-10 ms, so forcing every write caps the writer at a few
 * hundred to a few thousand writes per second whatever the write size.
 * Needs: {@link IoSnapshot}. Thresholds: {@code minForces} (10), {@code minForcesPerWrite} (0.5),
 * {@code criticalForcesPerWrite} (0.9). Evidence: target, writes, forces, forcesPerWrite, forceP50Nanos,
 * forceP99Nanos, forceSites, writeSites.
 */
public final class IoForcePerWriteRule implements Rule {
    @Override
    public String id() {
        return "io.force-per-write";
    }

    @Override
    public Category category() {
        return Category.IO;
    }

    @Override
    public String description() {
        return "A file forced to disk on (nearly) every write";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minForces", 10, "count", "forces on a file before it is judged"),
                new Threshold("minForcesPerWrite", 0.5, "ratio", "forces per write that make the finding"),
                new Threshold("criticalForcesPerWrite", 0.9, "ratio", "forces per write that make it critical"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double minForces = ctx.threshold("minForces");
        double minRatio = ctx.threshold("minForcesPerWrite");
        double critical = ctx.threshold("criticalForcesPerWrite");
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            Map<String, List<IoCallSite>> byTarget = new LinkedHashMap<>();
            for (IoCallSite c : s.callSites()) {
                if (c.isFile() && (c.op().equals("force") || c.op().equals("write"))) {
                    byTarget.computeIfAbsent(c.target(), k -> new ArrayList<>()).add(c);
                }
            }
            for (Map.Entry<String, List<IoCallSite>> e : byTarget.entrySet()) {
                long writes = 0;
                long forces = 0;
                long p50 = 0;
                long p99 = 0;
                List<String> forceSites = new ArrayList<>();
                List<String> writeSites = new ArrayList<>();
                for (IoCallSite c : e.getValue()) {
                    if (c.op().equals("force")) {
                        forces += c.count();
                        p50 = Math.max(p50, c.p50Nanos());
                        p99 = Math.max(p99, c.p99Nanos());
                        forceSites.add(c.site());
                    } else {
                        writes += c.count();
                        writeSites.add(c.site());
                    }
                }
                if (forces < minForces || writes == 0 || (double) forces / writes < minRatio) {
                    continue;
                }
                double ratio = Math.round(1000.0 * forces / writes) / 1000.0;
                ctx.emit(Finding.builder(id(), category())
                        .severity(ratio >= critical ? Severity.CRITICAL : Severity.WARNING)
                        .title("Force per write on " + e.getKey() + ": " + forces + " forces for " + writes
                                + " writes (" + ratio + " per write)")
                        .summary("Each force waits for the device (p50 " + IoText.nanos(p50) + ", p99 "
                                + IoText.nanos(p99) + "); forced from " + String.join(", ", forceSites) + ".")
                        .evidence("target", e.getKey()).evidence("writes", writes).evidence("forces", forces)
                        .evidence("forcesPerWrite", ratio).evidence("forceP50Nanos", p50)
                        .evidence("forceP99Nanos", p99).evidence("forceSites", forceSites)
                        .evidence("writeSites", writeSites)
                        .recommendation("Force once per batch (group commit) instead of once per write: collect the"
                                + " writes of a few milliseconds, write them, then call force once; use"
                                + " force(false) when file metadata need not be durable.")
                        .source(s.source().sourceName())
                        .build());
            }
        }
    }
}
