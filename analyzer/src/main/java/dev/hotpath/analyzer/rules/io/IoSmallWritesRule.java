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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code io.small-writes}: a hot call site writing small chunks unbuffered. Each write is one system call, whose
 * fixed cost (~1 us to the page cache, more to a socket) dominates below a few KiB, so a site doing thousands of
 * sub-KiB writes spends its time in syscalls rather than moving data.
 *
 * <p>Small is not the fault; fragmenting is. A request/response connection whose messages are small (an empty PUT
 * response is ~150 B of headers) writes each message in one call, and nothing could coalesce it further: one write
 * per turn of the conversation is the floor. So socket writes count only when they fragment messages: the site writes
 * more than {@code maxWritesPerRead} times per read made on the same connections (a turn needs at least one read of
 * the peer's message). A stream without reads (a producer pushing events) has no turns and is judged by size alone;
 * so are files.
 * Needs: {@link IoSnapshot}. Thresholds: {@code minOps} (1000 writes), {@code maxAvgBytes} (1024 B average),
 * {@code criticalOps} (100000 writes), {@code maxWritesPerRead} (2), {@code maxFindings} (5 sites). A site's writes
 * are judged over all its targets ({@link IoSiteGroup}). Evidence: site, target (the one target, or "N files under
 * DIR"), kind, count, bytes, avgBytes, p50Nanos, p99Nanos (of the targets' mixture), writesPerSecond, targets,
 * exampleTargets, directory (files), writesPerRead (sockets with reads), omittedFindings.
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
                new Threshold("criticalOps", 100_000, "count", "writes at which the finding becomes critical"),
                new Threshold("maxWritesPerRead", 2, "ratio",
                        "socket writes per read on the same connections at or below which each write is a whole message"),
                new Threshold("maxFindings", 5, "count", "sites reported, most writes first; the rest are counted"));
    }

    @Override
    public void evaluate(RuleContext ctx) {
        double minOps = ctx.threshold("minOps");
        double maxAvg = ctx.threshold("maxAvgBytes");
        double critical = ctx.threshold("criticalOps");
        int maxFindings = (int) ctx.threshold("maxFindings");
        double maxPerRead = ctx.threshold("maxWritesPerRead");
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            // one site writing many small files (a temp file per request) is one buffering problem, not many
            List<IoSiteGroup> hot = new ArrayList<>();
            for (IoSiteGroup g : IoSiteGroup.of(s.callSites(), c -> c.op().equals("write") && !c.site().startsWith("("))) {
                if (g.count >= minOps && g.avgBytes() < maxAvg && !wholeMessages(s, g, maxPerRead)) {
                    hot.add(g);
                }
            }
            hot.sort(Comparator.comparingLong((IoSiteGroup g) -> g.count).reversed());
            int omitted = Math.max(0, hot.size() - maxFindings);
            for (IoSiteGroup g : hot.subList(0, hot.size() - omitted)) {
                emit(ctx, s, g, critical, omitted);
            }
        }
    }

    /** Reads made on the group's socket targets by any site; -1 for files. */
    static long readsOnTargets(IoSnapshot s, IoSiteGroup g) {
        if (!"socket".equals(g.kind)) {
            return -1;
        }
        Set<String> targets = new HashSet<>();
        for (IoCallSite t : g.targets) {
            targets.add(t.target());
        }
        long reads = 0;
        for (IoCallSite c : s.callSites()) {
            if ("socket".equals(c.kind()) && "read".equals(c.op()) && targets.contains(c.target())) {
                reads += c.count();
            }
        }
        return reads;
    }

    /** Socket writes that are one per turn of a request/response conversation: whole messages, not fragments. */
    private static boolean wholeMessages(IoSnapshot s, IoSiteGroup g, double maxPerRead) {
        long reads = readsOnTargets(s, g);
        return reads > 0 && g.count <= maxPerRead * reads;
    }

    private void emit(RuleContext ctx, IoSnapshot s, IoSiteGroup g, double critical, int omitted) {
        double avg = IoText.round1(g.avgBytes());
        double perSecond = s.seconds() > 0 ? IoText.round1(g.count / s.seconds()) : 0;
        long p50 = g.quantileNanos(0.5);
        long p99 = g.quantileNanos(0.99);
        String spread = g.targets.size() == 1 ? "" : g.named.isEmpty() ? " The writes went to targets past the"
                + " agent's maxSites." : " The writes went to " + g.named.size() + " targets"
                + (g.directory() == null ? "" : " under " + g.directory()) + g.foldedNote("writes") + ", most to "
                + g.exampleNames(3) + ".";
        Finding.Builder b = Finding.builder(id(), category())
                .severity(g.count >= critical ? Severity.CRITICAL : Severity.WARNING)
                .title("Small writes at " + g.site + ": " + g.count + " writes of " + avg + " bytes on average to "
                        + g.where())
                .summary(g.count + " " + g.kind + " writes moved " + g.bytes + " bytes (" + avg
                        + " bytes per write, p50 " + IoText.nanos(p50) + ", p99 " + IoText.nanos(p99) + " each)."
                        + " Every write is a system call, so the per-call cost, not the data, dominates." + spread
                        + IoText.omitted(omitted, "site"))
                .evidence("site", g.site).evidence("target", g.where()).evidence("kind", g.kind)
                .evidence("count", g.count).evidence("bytes", g.bytes).evidence("avgBytes", avg)
                .evidence("p50Nanos", p50).evidence("p99Nanos", p99).evidence("writesPerSecond", perSecond)
                .evidence("targets", g.named.size()).evidence("exampleTargets", g.examples(3));
        if (g.directory() != null) {
            b.evidence("directory", g.directory());
        }
        long reads = readsOnTargets(s, g);
        if (reads > 0) {
            b.evidence("writesPerRead", IoText.round1((double) g.count / reads));
        }
        ctx.emit(b.evidence("omittedFindings", omitted)
                .recommendation("Buffer the writes at " + g.site + ": wrap the stream in a"
                        + " BufferedOutputStream of 64 KiB or more, or batch records into one ByteBuffer per"
                        + " write, and flush at record-group boundaries.")
                .source(s.source().sourceName())
                .build());
    }
}
