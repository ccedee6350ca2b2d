package dev.hotpath.alloc.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile-bootstrap confidence interval of the relative change of medians, {@code median(variant)/median(baseline) − 1}.
 * Each resample draws both groups independently with replacement (the runs of two variants are independent samples).
 * With 5–10 runs per variant the percentile interval is known to be somewhat too narrow; the verdict therefore also
 * requires the rank test to agree before it calls a change real (see {@link Comparisons}).
 *
 * <p>Deterministic for a given seed: the same runs always give the same interval.
 */
public final class Bootstrap {
    public static final int DEFAULT_RESAMPLES = 10_000;

    private Bootstrap() {
    }

    /**
     * {@code [low, high]} at each of {@code levels} (e.g. 0.95) in turn, all from the same resamples, or NaNs when a group
     * is empty or the baseline is 0.
     */
    public static double[] relativeChangeCi(double[] baseline, double[] variant, int resamples, long seed, double... levels) {
        double[] none = new double[2 * levels.length];
        Arrays.fill(none, Double.NaN);
        if (baseline.length == 0 || variant.length == 0) {
            return none;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] stats = new double[resamples];
        double[] b = new double[baseline.length];
        double[] v = new double[variant.length];
        int n = 0;
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < b.length; i++) {
                b[i] = baseline[rnd.nextInt(baseline.length)];
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = variant[rnd.nextInt(variant.length)];
            }
            Arrays.sort(b);
            Arrays.sort(v);
            double mb = Descriptive.sortedQuantile(b, 0.5);
            if (mb == 0) {
                continue; // a resample whose baseline median is 0 has no relative change; counted out, not as infinity
            }
            stats[n++] = Descriptive.sortedQuantile(v, 0.5) / mb - 1;
        }
        if (n < resamples / 2) {
            return none;
        }
        double[] s = Arrays.copyOf(stats, n);
        Arrays.sort(s);
        double[] out = new double[2 * levels.length];
        for (int i = 0; i < levels.length; i++) {
            double tail = (1 - levels[i]) / 2;
            out[2 * i] = Descriptive.sortedQuantile(s, tail);
            out[2 * i + 1] = Descriptive.sortedQuantile(s, 1 - tail);
        }
        return out;
    }
}
