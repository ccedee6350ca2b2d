package dev.hotpath.agent.bootstrap;

/**
 * Log-linear latency buckets over nanoseconds: values below 8 ns get one bucket each, then every power of two is
 * split into 4 sub-buckets (so a bucket's width is at most 25% of its lower bound). Values from 2^41 ns (~37 min) up
 * share the last bucket. Bucket boundaries fall on every power of two, which is what the Prometheus export's
 * {@code le} bounds use.
 */
public final class LatencyBuckets {
    public static final int COUNT = 8 + (41 - 3) * 4;

    private LatencyBuckets() {
    }

    public static int index(long nanos) {
        if (nanos < 8) {
            return nanos < 0 ? 0 : (int) nanos;
        }
        int msb = 63 - Long.numberOfLeadingZeros(nanos);
        if (msb >= 41) {
            return COUNT - 1;
        }
        int sub = (int) (nanos >>> (msb - 2)) & 3;
        return 8 + (msb - 3) * 4 + sub;
    }

    /** Smallest value that falls into the bucket. */
    public static long lowerBound(int index) {
        if (index < 8) {
            return index;
        }
        int msb = (index - 8) / 4 + 3;
        int sub = (index - 8) % 4;
        return (long) (4 + sub) << (msb - 2);
    }

    /** Smallest value above the bucket (exclusive upper bound). */
    public static long upperBound(int index) {
        return index == COUNT - 1 ? Long.MAX_VALUE : lowerBound(index + 1);
    }
}
