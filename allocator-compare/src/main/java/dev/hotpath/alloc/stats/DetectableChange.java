package dev.hotpath.alloc.stats;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The smallest relative change an experiment of this size could reliably detect — what "no difference detected"
 * has to be qualified with.
 *
 * <p>Method (standard two-sample power calculation): a shift {@code δ} between two groups of {@code n1} and {@code n2}
 * runs with run-to-run standard deviation {@code σ} is detected with power {@code 1−β} by a two-sided test at level
 * {@code α} when {@code δ ≥ (z(1−α/2) + z(1−β)) · σ · √(1/n1 + 1/n2)}. The rank test hotpath uses (Mann–Whitney U) needs
 * {@code π/3} times as many runs as a t-test for the same power on normal data (its asymptotic relative efficiency is
 * 3/π ≈ 0.955), so the variance term is scaled by π/3. {@code σ} is the pooled robust run-to-run spread
 * ({@link Descriptive#robustSigma}) of both groups, floored at the quantisation noise of the measurement
 * ({@code resolution/√12}: RSS is counted in 4 KiB pages, CPU time in 10 ms ticks). Dividing by the baseline median
 * gives a fraction. Power is 80% ({@code β = 0.2}); {@code α} is the per-comparison level after the multiplicity
 * correction (Bonferroni's {@code 0.05/m}, the strictest step of Holm's procedure).
 *
 * <p>Independently of the spread, the exact rank test cannot produce a two-sided p-value below {@code 2/C(n1+n2, n1)}
 * (all runs of one group above all runs of the other); when that floor exceeds {@code α} no change whatsoever is
 * detectable, and the result is {@code +∞}.
 */
public final class DetectableChange {
    public static final double POWER = 0.8;
    private static final NormalDistribution STD = NormalDistribution.of(0, 1);

    private DetectableChange() {
    }

    /** As a fraction of the baseline median; {@code +∞} when undetectable, NaN when the baseline median is 0. */
    public static double smallestDetectable(double[] baseline, double[] variant, double alpha, double resolution) {
        int n1 = baseline.length;
        int n2 = variant.length;
        if (n1 == 0 || n2 == 0 || minimumPValue(n1, n2) > alpha) {
            return Double.POSITIVE_INFINITY;
        }
        double m0 = Math.abs(Descriptive.median(baseline));
        if (m0 == 0) {
            return Double.NaN;
        }
        double s1 = Descriptive.robustSigma(baseline);
        double s2 = Descriptive.robustSigma(variant);
        double sigma = Math.max(Math.sqrt((s1 * s1 + s2 * s2) / 2), resolution / Math.sqrt(12));
        double z = STD.inverseCumulativeProbability(1 - alpha / 2) + STD.inverseCumulativeProbability(POWER);
        return z * sigma * Math.sqrt((1.0 / n1 + 1.0 / n2) * Math.PI / 3) / m0;
    }

    /** The smallest two-sided exact Mann–Whitney p-value two groups of these sizes can produce: {@code 2/C(n1+n2, n1)}. */
    public static double minimumPValue(int n1, int n2) {
        double c = 1;
        for (int i = 1; i <= Math.min(n1, n2); i++) {
            c = c * (Math.max(n1, n2) + i) / i;
        }
        return Math.min(1, 2 / c);
    }

    /** Runs per variant (equal groups) needed before the rank test can reach {@code alpha} at all. */
    public static int runsNeeded(double alpha) {
        int n = 2;
        while (minimumPValue(n, n) > alpha) {
            n++;
        }
        return n;
    }
}
