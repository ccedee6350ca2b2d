package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.io.IoCallSite;
import dev.hotpath.analyzer.io.IoSnapshot;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import dev.hotpath.analyzer.rules.cpu.CpuSummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * {@code io.slow-target}: a call site whose tail latency is far above its median and long in absolute terms. A p99
 * many times the p50 means a minority of operations wait on something the typical one does not (device queueing, a
 * cache miss, a slow peer, file-system locks), which is what requests at the tail feel.
 * A ratio alone is noise: on a CPU-starved host a loopback read that is descheduled once takes milliseconds against a
 * microsecond median, and a blocking socket read also waits for the peer's next request. So the tail must be long in
 * absolute terms (files: {@code minFileP99Ms}; sockets: {@code minSocketP99Ms}) and, for sockets, the slowest 1% must
 * hold a material share of the time the site spends in the operation ({@code minSocketTailPercent}).
 * The site is judged over all its targets (mixture percentiles, {@link IoSiteGroup}); a single target gets its own
 * finding only when it alone is slow: it passes every test by itself and its p99 is {@code targetOverSite} times the
 * site's.
 * On a saturated machine (the same process's JFR puts the machine's average CPU at {@code saturatedMachinePercent}
 * or more) a thread descheduled once waits tens of milliseconds, so a tail is the scheduler's as likely as the
 * I/O's: the finding is then info and says so.
 * Needs: {@link IoSnapshot}; {@link CpuSummary} of the same run directory when there is one.
 * Thresholds: {@code minOps} (200), {@code p99OverP50} (10), {@code minFileP99Ms} (20 ms),
 * {@code minSocketP99Ms} (50 ms), {@code minSocketTailPercent} (25 %), {@code targetOverSite} (5),
 * {@code maxFindings} (5), {@code saturatedMachinePercent} (90). Evidence: site, target, kind, op, count, targets,
 * p50Nanos, p99Nanos, maxNanos, p99OverP50, tailPercent, worstTargets, machineCpuPercent (when known),
 * omittedFindings.
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
        return "A call site whose p99 latency is long and many times its p50";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minOps", 200, "count", "operations at a site before its percentiles count"),
                new Threshold("p99OverP50", 10, "ratio", "p99 / p50 above which the tail is slow"),
                new Threshold("minFileP99Ms", 20, "ms", "file p99 below which the tail is not worth a finding"),
                new Threshold("minSocketP99Ms", 50, "ms", "socket p99 below which the tail is not worth a finding"),
                new Threshold("minSocketTailPercent", 25, "percent",
                        "share of a socket site's time spent in its slowest 1% of operations"),
                new Threshold("targetOverSite", 5, "ratio", "a target's p99 over its site's for a finding of its own"),
                new Threshold("maxFindings", 5, "count", "findings kept, longest tail first; the rest are counted"),
                new Threshold("saturatedMachinePercent", 90, "percent",
                        "machine CPU (average, from the process's JFR) at which a tail may be the scheduler's"));
    }

    /** The whole run: the CPU figures come from the process's JFR, another artifact than the snapshot. */
    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        Limits l = new Limits(ctx.threshold("minOps"), ctx.threshold("p99OverP50"),
                ctx.threshold("minFileP99Ms") * 1e6, ctx.threshold("minSocketP99Ms") * 1e6,
                ctx.threshold("minSocketTailPercent"));
        double targetOverSite = ctx.threshold("targetOverSite");
        int maxFindings = (int) ctx.threshold("maxFindings");
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            List<Slow> found = new ArrayList<>();
            for (IoSiteGroup g : IoSiteGroup.of(s.callSites(),
                    c -> !c.site().startsWith("(") && !c.op().equals("accept"))) {
                Slow site = judge(g, l);
                if (site != null) {
                    found.add(site);
                    continue;
                }
                if (g.targets.size() < 2) {
                    continue;
                }
                long siteP99 = g.quantileNanos(0.99);
                for (IoCallSite t : g.named) {
                    Slow one = judge(IoSiteGroup.single(t), l);
                    if (one != null && t.p99Nanos() >= targetOverSite * siteP99) {
                        found.add(one);
                    }
                }
            }
            found.sort(Comparator.comparingLong((Slow x) -> x.tailNanos).reversed());
            int omitted = Math.max(0, found.size() - maxFindings);
            double machine = machinePercent(ctx, s);
            boolean saturated = machine >= ctx.threshold("saturatedMachinePercent");
            for (Slow x : found.subList(0, found.size() - omitted)) {
                emit(ctx, s, x, omitted, machine, saturated);
            }
        }
    }

    /** The machine's average CPU in percent from the JFR of the snapshot's process (same directory), or -1. */
    static double machinePercent(RuleContext ctx, IoSnapshot s) {
        Path dir = s.source().path().toAbsolutePath().getParent();
        for (CpuSummary c : ctx.summaries(CpuSummary.class)) {
            if (c.loadSamples() > 0 && Objects.equals(c.source().path().toAbsolutePath().getParent(), dir)) {
                return IoText.round1(100 * c.machineAvg());
            }
        }
        return -1;
    }

    private record Limits(double minOps, double factor, double fileP99, double socketP99, double socketTailPct) {
    }

    private record Slow(IoSiteGroup g, long p50, long p99, long max, double tailPct, long tailNanos) {
    }

    private static Slow judge(IoSiteGroup g, Limits l) {
        if (g.count < l.minOps) {
            return null;
        }
        long p50 = g.quantileNanos(0.5);
        long p99 = g.quantileNanos(0.99);
        if (p50 <= 0 || p99 < l.factor * p50) {
            return null;
        }
        long[] tt = g.tailAndTotalNanos();
        double tailPct = tt[1] == 0 ? 0 : IoText.round1(100.0 * tt[0] / tt[1]);
        boolean socket = "socket".equals(g.kind);
        if (p99 < (socket ? l.socketP99 : l.fileP99) || (socket && tailPct < l.socketTailPct)) {
            return null;
        }
        return new Slow(g, p50, p99, g.quantileNanos(1), tailPct, tt[0]);
    }

    private void emit(RuleContext ctx, IoSnapshot s, Slow x, int omitted, double machine, boolean saturated) {
        IoSiteGroup g = x.g;
        double ratio = IoText.round1((double) x.p99 / x.p50);
        List<IoCallSite> worst = new ArrayList<>(g.named);
        worst.sort(Comparator.comparingLong(IoCallSite::p99Nanos).reversed());
        List<String> worstTargets = new ArrayList<>();
        for (IoCallSite t : worst.subList(0, Math.min(3, worst.size()))) {
            worstTargets.add(t.target() + " (p99 " + IoText.nanos(t.p99Nanos()) + ")");
        }
        String spread = g.targets.size() == 1 ? "" : g.named.isEmpty() ? " Over targets past the agent's maxSites."
                : " Over " + g.named.size() + " targets" + g.foldedNote(g.op + "s") + "; the slowest: "
                + String.join(", ", worstTargets) + ".";
        String cpu = !saturated ? "" : " The machine's CPU was " + machine + "% busy on average during the recording:"
                + " a thread descheduled once waits this long, so the tail may be the scheduler's rather than the I/O's.";
        Finding.Builder b = Finding.builder(id(), category())
                .severity(saturated ? Severity.INFO : Severity.WARNING)
                .title("Slow tail at " + g.site + ": " + g.op + " p99 " + IoText.nanos(x.p99) + " is " + ratio
                        + "x its p50 on " + g.where())
                .summary(g.count + " " + g.kind + " " + g.op + "s: p50 " + IoText.nanos(x.p50) + ", p99 "
                        + IoText.nanos(x.p99) + ", max " + IoText.nanos(x.max) + "; the slowest 1% take about "
                        + x.tailPct + "% of the time." + spread + cpu + IoText.omitted(omitted, "slow tail"))
                .evidence("site", g.site).evidence("target", g.where()).evidence("kind", g.kind)
                .evidence("op", g.op).evidence("count", g.count).evidence("targets", g.named.size())
                .evidence("p50Nanos", x.p50).evidence("p99Nanos", x.p99).evidence("maxNanos", x.max)
                .evidence("p99OverP50", ratio).evidence("tailPercent", x.tailPct)
                .evidence("worstTargets", worstTargets);
        if (machine >= 0) {
            b.evidence("machineCpuPercent", machine);
        }
        ctx.emit(b.evidence("omittedFindings", omitted)
                .recommendation("Find what the slow 1% wait on: compare with the device (hotpath io --fio),"
                        + " look for forces or other writers on the same target, and for a socket peer check"
                        + " its own latency; move this I/O off latency-critical threads if it cannot be fixed.")
                .source(s.source().sourceName())
                .build());
    }
}
