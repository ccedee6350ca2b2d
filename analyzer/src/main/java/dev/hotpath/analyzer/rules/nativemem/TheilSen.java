package dev.hotpath.analyzer.rules.nativemem;

import java.util.Arrays;

/**
 * Theil–Sen slope: the median of the slopes between all pairs of points. Unlike least squares it is not moved by
 * spikes (a transient buffer, a GC) or by a step that fewer than ~29% of the pairs straddle (one near either end of
 * the window), while a steady leak sets every pair's slope. A step in the middle of the window does move it: the
 * rules' {@code minGrowthMb} and warm-up cut are what guard against a single mid-run jump. O(n²) pairs, so long series are thinned to {@link #MAX_POINTS} first.
 */
final class TheilSen {
    static final int MAX_POINTS = 300;

    private TheilSen() {
    }

    /** @return the slope in value units per minute, or NaN with fewer than 2 points or no time span */
    static double perMinute(long[] epochMillis, double[] values) {
        int n = epochMillis.length;
        if (n < 2) {
            return Double.NaN;
        }
        int step = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        int m = (n + step - 1) / step;
        long[] t = new long[m];
        double[] v = new double[m];
        for (int i = 0, j = 0; i < n; i += step, j++) {
            t[j] = epochMillis[i];
            v[j] = values[i];
        }
        double[] slopes = new double[m * (m - 1) / 2];
        int k = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                long dt = t[j] - t[i];
                if (dt != 0) {
                    slopes[k++] = (v[j] - v[i]) / dt;
                }
            }
        }
        if (k == 0) {
            return Double.NaN;
        }
        double[] s = Arrays.copyOf(slopes, k);
        Arrays.sort(s);
        double median = k % 2 == 1 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
        return median * 60_000;
    }
}
