package dev.hotpath.bench.agent;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** {@link GatewaySaturationHarness}'s summary of per-round agent/plain ratios, with bootstrap intervals. */
final class RatioSummary {
    private RatioSummary() {
    }

    /**
     * Over the per-round ratios: the median with a bootstrap 95% interval of the median, and the mean with a bootstrap
     * 95% interval of the mean (10,000 resamples of the rounds with replacement, percentile intervals), min..max, and
     * the loss 1 - ratio with its interval. The median resists a round that a burst of other work hit; the mean also
     * counts what the agent does only now and then (its snapshot, every {@code interval}, falls into some windows).
     */
    static void summary(String what, List<Double> ratios) {
        double[] xs = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sorted = xs.clone();
        Arrays.sort(sorted);
        int resamples = 10_000;
        double[] medians = new double[resamples];
        double[] means = new double[resamples];
        SplittableRandom rnd = new SplittableRandom(42);
        double[] sample = new double[xs.length];
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int i = 0; i < xs.length; i++) {
                sample[i] = xs[rnd.nextInt(xs.length)];
                sum += sample[i];
            }
            Arrays.sort(sample);
            medians[b] = median(sample);
            means[b] = sum / xs.length;
        }
        double mean = Arrays.stream(xs).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%-40s median %.3f (bootstrap 95%% %.3f..%.3f), mean %.3f (%.3f..%.3f),"
                        + " min..max %.3f..%.3f%n", what, median(sorted), percentile(medians, 0.025),
                percentile(medians, 0.975), mean, percentile(means, 0.025), percentile(means, 0.975), sorted[0],
                sorted[sorted.length - 1]);
        System.out.printf(Locale.ROOT, "%-40s loss by the median %.1f%% (%.1f%%..%.1f%%), by the mean %.1f%%"
                        + " (%.1f%%..%.1f%%)%n", "", 100 * (1 - median(sorted)),
                100 * (1 - percentile(medians, 0.975)), 100 * (1 - percentile(medians, 0.025)), 100 * (1 - mean),
                100 * (1 - percentile(means, 0.975)), 100 * (1 - percentile(means, 0.025)));
    }

    /** The q-th value of an array of bootstrap statistics (sorted here, in place). */
    private static double percentile(double[] xs, double q) {
        Arrays.sort(xs);
        return xs[Math.min(xs.length - 1, (int) Math.floor(q * xs.length))];
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
