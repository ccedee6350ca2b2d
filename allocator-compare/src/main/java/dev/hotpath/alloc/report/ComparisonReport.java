package dev.hotpath.alloc.report;

import dev.hotpath.alloc.run.Metric;
import dev.hotpath.alloc.run.RunResult;
import dev.hotpath.alloc.stats.Comparison;
import dev.hotpath.alloc.stats.Descriptive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole experiment: what ran, every run, per-variant summaries and the comparisons. {@link #toJson()} is the
 * allocator comparison JSON of DESIGN.md: {@code command}, {@code variants[]} ({@code name}, {@code env}, {@code runs[]}
 * with {@code peakRssBytes, endRssBytes, cpuSeconds, wallSeconds, exitCode}, {@code summary}) and {@code comparisons[]}
 * ({@code baseline, variant, metric, change, ci95, pValue, verdict}); every other field is an addition. Values not
 * measured are {@code null}.
 */
public record ComparisonReport(String command, long seed, double alpha, int runsPerVariant, int warmup, Double durationSeconds,
                               List<VariantResult> variants, List<Metric> metrics, List<Comparison> comparisons,
                               List<String> notes) {

    public Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "hotpath-allocator-comparison/1");
        root.put("command", command);
        root.put("seed", seed);
        root.put("alpha", alpha);
        root.put("runsPerVariant", runsPerVariant);
        root.put("warmupRuns", warmup);
        root.put("durationSeconds", durationSeconds);
        root.put("baseline", variants.isEmpty() ? null : variants.get(0).name());
        List<Object> vs = new ArrayList<>();
        for (VariantResult v : variants) {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("name", v.name());
            vm.put("library", v.library());
            vm.put("env", v.env());
            List<Object> runs = new ArrayList<>();
            for (RunResult r : v.runs()) {
                runs.add(runJson(r));
            }
            vm.put("runs", runs);
            vm.put("failedRuns", v.failedRuns());
            vm.put("summary", summary(v));
            vs.add(vm);
        }
        root.put("variants", vs);
        List<Object> cs = new ArrayList<>();
        for (Comparison c : comparisons) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("baseline", c.baseline());
            cm.put("variant", c.variant());
            cm.put("metric", c.metric());
            cm.put("change", num(c.change()));
            cm.put("ci95", Double.isNaN(c.ciLow()) ? null : List.of(c.ciLow(), c.ciHigh()));
            cm.put("pValue", num(c.pValue()));
            cm.put("pValueAdjusted", num(c.pValueAdjusted()));
            // null with canReachSignificance=false: too few runs for the rank test to ever reach p < 0.05
            cm.put("smallestDetectableChange", num(c.detectable()));
            cm.put("canReachSignificance", !Double.isInfinite(c.detectable()));
            cm.put("baselineMedian", num(c.baselineMedian()));
            cm.put("variantMedian", num(c.variantMedian()));
            cm.put("baselineRuns", c.nBaseline());
            cm.put("variantRuns", c.nVariant());
            cm.put("outcome", c.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            cm.put("verdict", c.verdict());
            cs.add(cm);
        }
        root.put("comparisons", cs);
        root.put("notes", notes);
        return root;
    }

    static Map<String, Object> runJson(RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", r.round());
        m.put("position", r.position());
        m.put("peakRssBytes", r.peakRssBytes() < 0 ? null : r.peakRssBytes());
        m.put("endRssBytes", r.endRssBytes() < 0 ? null : r.endRssBytes());
        m.put("cpuSeconds", num(r.cpuSeconds()));
        m.put("cpuUserSeconds", num(r.cpuUserSeconds()));
        m.put("cpuSysSeconds", num(r.cpuSysSeconds()));
        m.put("wallSeconds", num(r.wallSeconds()));
        m.put("exitCode", r.exitCode());
        m.put("stoppedByDuration", r.stoppedByDuration());
        m.put("minorFaults", r.minorFaults() < 0 ? null : r.minorFaults());
        m.put("majorFaults", r.majorFaults() < 0 ? null : r.majorFaults());
        m.put("metrics", r.metrics());
        if (!r.allocatorStats().isEmpty()) {
            m.put("allocatorStats", r.allocatorStats());
        }
        List<Object> timeline = new ArrayList<>(r.rssTimeline().length);
        for (long[] s : r.rssTimeline()) {
            timeline.add(List.of(s[0], s[1]));
        }
        m.put("rssTimelineMsKb", timeline);
        if (!r.usable()) {
            m.put("stderrTail", r.stderrTail());
        }
        return m;
    }

    /** Median, IQR, MAD, min, max and count of every metric over the variant's usable runs. */
    Map<String, Object> summary(VariantResult v) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Metric> all = new ArrayList<>(metrics);
        all.add(new Metric("cpuUserSeconds", "user CPU time", 0.01, RunResult::cpuUserSeconds));
        all.add(new Metric("cpuSysSeconds", "system CPU time", 0.01, RunResult::cpuSysSeconds));
        all.add(new Metric("minorFaults", "minor page faults", 1, r -> r.minorFaults() < 0 ? Double.NaN : r.minorFaults()));
        all.add(new Metric("majorFaults", "major page faults", 1, r -> r.majorFaults() < 0 ? Double.NaN : r.majorFaults()));
        Set<String> statKeys = new LinkedHashSet<>();
        v.runs().forEach(r -> statKeys.addAll(r.allocatorStats().keySet()));
        for (String k : statKeys) {
            all.add(new Metric("allocatorStats." + k, k, 1,
                    r -> r.allocatorStats().containsKey(k) ? r.allocatorStats().get(k) : Double.NaN));
        }
        for (Metric m : all) {
            double[] x = m.values(v.runs());
            if (x.length == 0) {
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("median", Descriptive.median(x));
            s.put("iqr", Descriptive.iqr(x));
            s.put("mad", Descriptive.mad(x));
            s.put("min", java.util.Arrays.stream(x).min().getAsDouble());
            s.put("max", java.util.Arrays.stream(x).max().getAsDouble());
            s.put("n", x.length);
            out.put(m.key(), s);
        }
        return out;
    }

    static Double num(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
    }
}
