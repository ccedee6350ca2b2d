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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code io.force-per-write}: a call site forcing files (fsync/fdatasync via FileChannel.force) about as often as it is written.
 * A force waits for the device to persist, typically 0.1-10 ms, so forcing every write caps the writer at a few
 * hundred to a few thousand writes per second whatever the write size.
 * The diagnosis belongs to the forcing site: its forces are compared with all writes to the files it forces (from
 * any site), so a site that forces each of hundreds of temp files after every write is one finding. Forcing a file
 * once after writing it (write-temp, force, rename) is the durable-write idiom, hence {@code minForcesPerFile}.
 * Needs: {@link IoSnapshot}. Thresholds: {@code minForces} (10), {@code minForcesPerWrite} (0.5),
 * {@code criticalForcesPerWrite} (0.9), {@code minForcesPerFile} (2), {@code maxFindings} (5).
 * Evidence: site, target, writes, forces, forcesPerWrite, forceP50Nanos, forceP99Nanos, forceNanos, forceSites,
 * writeSites, targets, forcesPerFile, exampleTargets, directory, omittedFindings.
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
        return List.of(new Threshold("minForces", 10, "count", "forces at a site before it is judged"),
                new Threshold("minForcesPerWrite", 0.5, "ratio", "forces per write that make the finding"),
                new Threshold("criticalForcesPerWrite", 0.9, "ratio", "forces per write that make it critical"),
                new Threshold("minForcesPerFile", 2, "count",
                        "average forces per forced file; one force per file is a durable write, not a fault"),
                new Threshold("maxFindings", 5, "count", "sites reported, most forces first; the rest are counted"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double minForces = ctx.threshold("minForces");
        double minRatio = ctx.threshold("minForcesPerWrite");
        double critical = ctx.threshold("criticalForcesPerWrite");
        double minPerFile = ctx.threshold("minForcesPerFile");
        int maxFindings = (int) ctx.threshold("maxFindings");
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            Map<String, Long> writesByTarget = new HashMap<>();
            Map<String, Set<String>> writeSitesByTarget = new HashMap<>();
            Map<String, Long> foldedWritesBySite = new HashMap<>();
            for (IoCallSite c : s.callSites()) {
                if (c.isFile() && c.op().equals("write")) {
                    if (c.isFolded()) {
                        foldedWritesBySite.merge(c.site(), c.count(), Long::sum);
                        continue;
                    }
                    writesByTarget.merge(c.target(), c.count(), Long::sum);
                    writeSitesByTarget.computeIfAbsent(c.target(), k -> new TreeSet<>()).add(c.site());
                }
            }
            List<Candidate> found = new ArrayList<>();
            for (IoSiteGroup g : IoSiteGroup.of(s.callSites(), c -> c.isFile() && c.op().equals("force"))) {
                long writes = 0;
                Set<String> writeSites = new TreeSet<>();
                for (IoCallSite t : g.named) {
                    writes += writesByTarget.getOrDefault(t.target(), 0L);
                    writeSites.addAll(writeSitesByTarget.getOrDefault(t.target(), Set.of()));
                }
                // the site's folded forces went to files folded at the sites that wrote its named files: their
                // (other) writes, not every site's
                if (g.folded != null) {
                    for (String w : writeSites) {
                        writes += foldedWritesBySite.getOrDefault(w, 0L);
                    }
                }
                // forces per file from the named files only: the (other) target stands for any number of files,
                // and a site that forces each of thousands of files once (the durable-write idiom) would otherwise
                // look like one file forced thousands of times; with no named file the idiom cannot be told apart
                if (g.count < minForces || writes == 0 || (double) g.count / writes < minRatio || g.named.isEmpty()
                        || (double) g.namedCount() / g.named.size() < minPerFile) {
                    continue;
                }
                found.add(new Candidate(g, writes, List.copyOf(writeSites)));
            }
            found.sort(Comparator.comparingLong((Candidate c) -> c.group.count).reversed());
            int omitted = Math.max(0, found.size() - maxFindings);
            for (Candidate c : found.subList(0, found.size() - omitted)) {
                emit(ctx, s, c, critical, omitted);
            }
        }
    }

    private record Candidate(IoSiteGroup group, long writes, List<String> writeSites) {
    }

    private void emit(RuleContext ctx, IoSnapshot s, Candidate c, double critical, int omitted) {
        IoSiteGroup g = c.group;
        double ratio = Math.round(1000.0 * g.count / c.writes) / 1000.0;
        double perFile = IoText.round1((double) g.namedCount() / g.named.size());
        long p50 = g.quantileNanos(0.5);
        long p99 = g.quantileNanos(0.99);
        long forceNanos = g.tailAndTotalNanos()[1];
        String spread = g.targets.size() == 1 ? "" : " " + g.named.size() + " files were forced " + perFile
                + " times each on average" + g.foldedNote("forces") + ", most often " + g.exampleNames(3) + ".";
        Finding.Builder b = Finding.builder(id(), category())
                .severity(ratio >= critical ? Severity.CRITICAL : Severity.WARNING)
                .title("Force per write at " + g.site + ": " + g.count + " forces for " + c.writes + " writes ("
                        + ratio + " per write) on " + g.where())
                .summary("Each force waits for the device (p50 " + IoText.nanos(p50) + ", p99 " + IoText.nanos(p99)
                        + ", about " + IoText.nanos(forceNanos) + " of thread time in all); forced from " + g.site + ", written from "
                        + String.join(", ", c.writeSites) + "." + spread + IoText.omitted(omitted, "site"))
                .evidence("site", g.site).evidence("target", g.where()).evidence("writes", c.writes)
                .evidence("forces", g.count).evidence("forcesPerWrite", ratio).evidence("forceP50Nanos", p50)
                .evidence("forceP99Nanos", p99).evidence("forceNanos", forceNanos)
                .evidence("forceSites", List.of(g.site)).evidence("writeSites", c.writeSites)
                .evidence("targets", g.named.size()).evidence("forcesPerFile", perFile)
                .evidence("exampleTargets", g.examples(3));
        if (g.directory() != null) {
            b.evidence("directory", g.directory());
        }
        ctx.emit(b.evidence("omittedFindings", omitted)
                .recommendation("Force once per batch (group commit) instead of once per write: collect the"
                        + " writes of a few milliseconds, write them, then call force once; use"
                        + " force(false) when file metadata need not be durable.")
                .source(s.source().sourceName())
                .build());
    }
}
