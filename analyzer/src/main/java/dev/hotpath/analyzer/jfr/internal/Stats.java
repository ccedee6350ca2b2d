package dev.hotpath.analyzer.jfr.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/** Percentiles, robust slopes and the rounding that keeps a finding's text equal to its evidence. */
public final class Stats {
    private Stats() {
    }

    /** Nearest-rank percentile of an ascending array ({@code p} in 0..1); 0 for an empty array. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** Nanoseconds to milliseconds rounded to 0.1 ms (the precision findings print). */
    public static double ms(long nanos) {
        return round1(nanos / 1e6);
    }

    public static double round1(double v) {
        return Math.round(v * 10.0) / 10.0;
    }

    public static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    /** Bytes to MiB rounded to 0.1. */
    public static double mib(double bytes) {
        return round1(bytes / (1024.0 * 1024.0));
    }

    /** Prints a rounded value without a trailing ".0" so text and JSON evidence read the same. */
    public static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /**
     * Theil–Sen estimator: the median of the pairwise slopes. Robust against a few outliers (a full GC that briefly
     * empties the heap), which a least-squares fit is not. O(n²) pairs, so the caller thins long series first.
     *
     * @return slope in y-units per x-unit, or NaN for fewer than two distinct x
     */
    public static double theilSen(long[] x, long[] y) {
        int n = Math.min(x.length, y.length);
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (x[j] != x[i]) {
                    slopes[k++] = (double) (y[j] - y[i]) / (double) (x[j] - x[i]);
                }
            }
        }
        if (k == 0) {
            return Double.NaN;
        }
        double[] s = Arrays.copyOf(slopes, k);
        Arrays.sort(s);
        return k % 2 == 1 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2.0;
    }
}
