package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.io.DeviceBaseline;
import dev.hotpath.analyzer.io.DeviceJob;
import dev.hotpath.analyzer.io.IoCallSite;
import dev.hotpath.analyzer.io.IoSnapshot;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;

import java.util.List;
import java.util.Optional;

/**
 * {@code io.device-comparison}: each hot file site against what the device measured (fio, or elbencho): the share of
 * the device's IOPS for the same kind of access the site reaches, and its p99 against the device's p99. A site far
 * below the device's IOPS whose p99 is a multiple of the device's is limited by the code path (locks, small buffers,
 * a force), not by the device. elbencho reports latency as min/avg/max only: against it the site's median is
 * compared with the device's mean (evidence p50Nanos, deviceMeanNanos, p50OverDeviceMean instead of the p99 pair).
 * Needs: {@link IoSnapshot} and {@link DeviceBaseline} in the same run. Thresholds: {@code minOps} (1000),
 * {@code p99Factor} (4: warning when the site's p99 is this many times the device's).
 * Evidence: site, target, op, pattern, opsPerSecond, deviceJob, deviceIops, iopsSharePercent, p99Nanos,
 * deviceP99Nanos, p99OverDevice.
 */
public final class IoDeviceComparisonRule implements Rule {
    @Override
    public String id() {
        return "io.device-comparison";
    }

    @Override
    public Category category() {
        return Category.IO;
    }

    @Override
    public String description() {
        return "Hot file sites compared with the device's measured IOPS and latency (fio or elbencho)";
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("minOps", 1000, "count", "operations at a site before it is compared"),
                new Threshold("p99Factor", 4, "ratio", "site p99 / device p99 (site median / device mean against elbencho) that makes the finding a warning"));
    }

    /** "fio" or "elbencho", as the device's result names its tool. */
    private static String tool(DeviceBaseline d) {
        return d.tool().startsWith("elbencho") ? "elbencho" : "fio";
    }

    @Override
    public Scope scope() {
        return Scope.RUN;
    }

    @Override
    public void evaluate(RuleContext ctx) {
        List<DeviceBaseline> devices = ctx.summaries(DeviceBaseline.class);
        if (devices.isEmpty()) {
            return;
        }
        DeviceBaseline device = devices.get(0);
        double minOps = ctx.threshold("minOps");
        double factor = ctx.threshold("p99Factor");
        for (IoSnapshot s : ctx.summaries(IoSnapshot.class)) {
            double seconds = s.seconds();
            for (IoCallSite c : s.callSites()) {
                boolean read = c.op().equals("read");
                if (!c.isFile() || !(read || c.op().equals("write")) || c.count() < minOps || seconds <= 0
                        || c.site().startsWith("(")) {
                    continue;
                }
                Optional<DeviceJob> job = device.bestFor(read, c.pattern().equals("random"));
                if (job.isEmpty()) {
                    continue;
                }
                DeviceJob j = job.get();
                double deviceIops = read ? j.readIops() : j.writeIops();
                long deviceP99 = read ? j.readP99Nanos() : j.writeP99Nanos();
                long deviceMean = read ? j.readMeanNanos() : j.writeMeanNanos();
                double opsPerSecond = IoText.round1(c.count() / seconds);
                double share = IoText.round1(100.0 * opsPerSecond / deviceIops);
                String direction = (j.isRandom() ? "random-" : "sequential-") + (read ? "read" : "write");
                // fio gives percentiles: p99 against p99. elbencho gives only a mean: the site's median against it
                boolean byMean = deviceP99 <= 0 && deviceMean > 0;
                String stat = byMean ? "median" : "p99";
                String deviceStat = byMean ? "mean" : "p99";
                long siteNanos = byMean ? c.p50Nanos() : c.p99Nanos();
                long deviceNanos = byMean ? deviceMean : deviceP99;
                double ratio = deviceNanos > 0 ? IoText.round1((double) siteNanos / deviceNanos) : 0;
                Finding.Builder f = Finding.builder(id(), category())
                        .severity(ratio >= factor ? Severity.WARNING : Severity.INFO)
                        .title(c.site() + " reaches " + share + "% of the device's " + direction + " IOPS; its " + stat
                                + " is " + ratio + "x the device's" + (byMean ? " mean" : ""))
                        .summary(opsPerSecond + " " + c.op() + "s/s on " + c.target() + " (" + c.pattern()
                                + ") against " + IoText.round1(deviceIops) + " IOPS measured by " + tool(device)
                                + " job '" + j.name() + "' (" + j.rw() + ", bs " + j.blockSize() + "); " + stat + " "
                                + IoText.nanos(siteNanos) + " against the device's " + deviceStat + " "
                                + IoText.nanos(deviceNanos) + (byMean ? " (elbencho reports no percentiles)" : "") + ".")
                        .evidence("site", c.site()).evidence("target", c.target()).evidence("op", c.op())
                        .evidence("pattern", c.pattern()).evidence("opsPerSecond", opsPerSecond)
                        .evidence("deviceJob", j.name()).evidence("deviceIops", IoText.round1(deviceIops))
                        .evidence("iopsSharePercent", share).evidence("p99Nanos", c.p99Nanos());
                if (byMean) {
                    f.evidence("p50Nanos", c.p50Nanos()).evidence("deviceMeanNanos", deviceMean)
                            .evidence("p50OverDeviceMean", ratio);
                } else {
                    f.evidence("deviceP99Nanos", deviceP99).evidence("p99OverDevice", ratio);
                }
                ctx.emit(f
                        .recommendation(ratio >= factor
                                ? "The device answers faster than this site sees: look for what the site's path adds"
                                + " (locks around the I/O, forces, small buffers, queueing behind other threads)."
                                : "The site is within the device's envelope; tune access size and pattern if more"
                                + " throughput is needed.")
                        .source(s.source().sourceName()).source(device.source().sourceName())
                        .build());
            }
        }
    }
}
