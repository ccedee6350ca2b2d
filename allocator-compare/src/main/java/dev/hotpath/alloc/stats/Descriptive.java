package dev.hotpath.alloc.stats;

import java.util.Arrays;

/** Order statistics of small samples (a handful of runs). Inputs are never modified. */
public final class Descriptive {
    private Descriptive() {
    }

    public static double median(double[] x) {
        return quantile(x, 0.5);
    }

    /** Linear interpolation between order statistics (Hyndman–Fan type 7, the default of R and NumPy). */
    public static double quantile(double[] x, double q) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double[] s = x.clone();
        Arrays.sort(s);
        return sortedQuantile(s, q);
    }

    static double sortedQuantile(double[] s, double q) {
        double h = (s.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    public static double iqr(double[] x) {
        return quantile(x, 0.75) - quantile(x, 0.25);
    }

    /** Median absolute deviation from the median, unscaled (multiply by 1.4826 for a normal-consistent sigma). */
    public static double mad(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double m = median(x);
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = Math.abs(x[i] - m);
        }
        return median(d);
    }

    public static double sd(double[] x) {
        if (x.length < 2) {
            return 0;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (x.length - 1));
    }

    /**
     * A robust estimate of the run-to-run standard deviation: 1.4826·MAD, else IQR/1.349 when more than half the runs
     * tie, else the sample SD; all three agree for normal data, the first two ignore one wild run.
     */
    public static double robustSigma(double[] x) {
        double s = 1.4826 * mad(x);
        if (s > 0) {
            return s;
        }
        s = iqr(x) / 1.349;
        return s > 0 ? s : sd(x);
    }
}
