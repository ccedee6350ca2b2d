package dev.hotpath.agent.export;

import dev.hotpath.agent.bootstrap.LatencyBuckets;

/**
 * Percentiles from a {@link LatencyBuckets} histogram. A percentile is the last value of the bucket holding its rank
 * (bucket width is at most 25% of its value), capped at the recorded maximum; so p50 <= p90 <= p99 <= p999 <= max
 * always holds.
 */
public final class Percentiles {
    private Percentiles() {
    }

    public static long of(long[] histogram, double q, long max) {
        long total = 0;
        for (long c : histogram) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank) {
                long last = LatencyBuckets.upperBound(i) - 1;
                return Math.min(last, max);
            }
        }
        return max;
    }
}
