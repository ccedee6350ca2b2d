package dev.hotpath.alloc.stats;

import dev.hotpath.alloc.run.Metric;
import dev.hotpath.alloc.run.RunResult;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every non-baseline variant against the baseline (the first variant) on every compared metric.
 *
 * <p>Multiplicity: a report of 3 variants × 4 metrics makes 12 claims; at 5% each, one false "X changes Y" would be
 * expected in about half of all A/A experiments. Holm's step-down correction over all comparisons of the report keeps
 * the chance of <em>any</em> false claim at 5% (or the {@code --alpha} given). The verdict calls a change real only when
 * the adjusted p-value is below alpha <em>and</em> the bootstrap interval excludes zero; when they disagree it says so
 * instead of choosing.
 *
 * <p>The interval that can make a non-significant result "inconclusive" is the simultaneous one, at level
 * {@code 1 − alpha/m} (never below 95%): a 95% interval excludes zero in about one A/A comparison in twenty by
 * construction, so judging 12 of them at 95% would call one in two A/A experiments inconclusive. The reported interval
 * stays the 95% one.
 */
public final class Comparisons {
    public static final double ALPHA = 0.05;
    public static final double LEVEL = 0.95;

    private Comparisons() {
    }

    public static List<Comparison> compare(Map<String, List<RunResult>> runsByVariant, List<Metric> metrics, long seed) {
        return compare(runsByVariant, metrics, seed, ALPHA);
    }

    /** @param alpha family-wise significance level (0.05 unless the user asks for stricter) */
    public static List<Comparison> compare(Map<String, List<RunResult>> runsByVariant, List<Metric> metrics, long seed,
                                           double alpha) {
        List<String> names = new ArrayList<>(runsByVariant.keySet());
        if (names.size() < 2) {
            return List.of();
        }
        String base = names.get(0);
        // a --metric that never matched any run is reported in the notes, not as a comparison (and not in the family)
        List<Metric> measured = new ArrayList<>();
        for (Metric metric : metrics) {
            if (runsByVariant.values().stream().anyMatch(runs -> metric.values(runs).length > 0)) {
                measured.add(metric);
            }
        }
        metrics = measured;
        int m = Math.max(1, (names.size() - 1) * metrics.size());
        double alphaEach = alpha / m;
        List<Raw> raw = new ArrayList<>();
        int index = 0;
        for (String name : names.subList(1, names.size())) {
            for (Metric metric : metrics) {
                double[] b = metric.values(runsByVariant.get(base));
                double[] v = metric.values(runsByVariant.get(name));
                raw.add(compareOne(base, name, metric, b, v, seed + 7919L * index++, alphaEach));
            }
        }
        double[] adjusted = holm(raw.stream().mapToDouble(r -> r.comparison().pValue()).toArray());
        List<Comparison> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Comparison c = raw.get(i).comparison();
            Comparison.Outcome outcome = outcome(c, adjusted[i], alpha, raw.get(i).simultaneousExcludesZero());
            Comparison withP = new Comparison(c.baseline(), c.variant(), c.metric(), c.label(), c.nBaseline(), c.nVariant(),
                    c.baselineMedian(), c.variantMedian(), c.change(), c.ciLow(), c.ciHigh(), c.pValue(), adjusted[i],
                    c.detectable(), outcome, null);
            out.add(new Comparison(c.baseline(), c.variant(), c.metric(), c.label(), c.nBaseline(), c.nVariant(),
                    c.baselineMedian(), c.variantMedian(), c.change(), c.ciLow(), c.ciHigh(), c.pValue(), adjusted[i],
                    c.detectable(), outcome, Verdicts.sentence(withP, m, alpha)));
        }
        return out;
    }

    /** One comparison before the Holm step, with whether its simultaneous interval excludes zero. */
    private record Raw(Comparison comparison, boolean simultaneousExcludesZero) {
    }

    private static Raw compareOne(String base, String name, Metric metric, double[] b, double[] v, long seed,
                                  double alphaEach) {
        double mb = b.length == 0 ? Double.NaN : Descriptive.median(b);
        double mv = v.length == 0 ? Double.NaN : Descriptive.median(v);
        if (b.length < 2 || v.length < 2 || mb == 0) {
            return new Raw(new Comparison(base, name, metric.key(), metric.label(), b.length, v.length, mb, mv, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Comparison.Outcome.NOT_COMPARED, null),
                    false);
        }
        double change = mv / mb - 1;
        double[] ci = Bootstrap.relativeChangeCi(b, v, Bootstrap.DEFAULT_RESAMPLES, seed, LEVEL,
                Math.max(LEVEL, 1 - alphaEach));
        double p = pValue(b, v);
        double detectable = DetectableChange.smallestDetectable(b, v, alphaEach, metric.resolution());
        return new Raw(new Comparison(base, name, metric.key(), metric.label(), b.length, v.length, mb, mv, change,
                ci[0], ci[1], p, Double.NaN, detectable, null, null), ci[2] > 0 || ci[3] < 0);
    }

    /**
     * Two-sided Mann–Whitney U from commons-statistics (exact for small samples without ties, normal approximation with
     * continuity correction otherwise). Two groups of identical constants carry no evidence of a difference: p = 1.
     */
    static double pValue(double[] b, double[] v) {
        double first = b[0];
        boolean allSame = Arrays.stream(b).allMatch(x -> x == first) && Arrays.stream(v).allMatch(x -> x == first);
        if (allSame) {
            return 1.0;
        }
        double p = MannWhitneyUTest.withDefaults().test(v, b).getPValue();
        return Double.isNaN(p) ? 1.0 : p;
    }

    /** Holm–Bonferroni adjusted p-values (NaN entries are left out of the family and stay NaN). */
    static double[] holm(double[] p) {
        Integer[] idx = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) {
            if (!Double.isNaN(p[i])) {
                idx[m++] = i;
            }
        }
        Integer[] order = Arrays.copyOf(idx, m);
        Arrays.sort(order, (x, y) -> Double.compare(p[x], p[y]));
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        double running = 0;
        for (int k = 0; k < m; k++) {
            running = Math.max(running, Math.min(1, (m - k) * p[order[k]]));
            out[order[k]] = running;
        }
        return out;
    }

    private static Comparison.Outcome outcome(Comparison c, double adjusted, double alpha, boolean simultaneousExcludesZero) {
        if (Double.isNaN(c.change())) {
            return Comparison.Outcome.NOT_COMPARED;
        }
        boolean testSays = adjusted < alpha;
        boolean ciExcludesZero = c.ciLow() > 0 || c.ciHigh() < 0;
        if (testSays && ciExcludesZero) {
            return c.ciHigh() < 0 ? Comparison.Outcome.LOWER : Comparison.Outcome.HIGHER;
        }
        if (!testSays && !simultaneousExcludesZero) {
            return Comparison.Outcome.NO_DIFFERENCE;
        }
        return Comparison.Outcome.INCONCLUSIVE;
    }
}
