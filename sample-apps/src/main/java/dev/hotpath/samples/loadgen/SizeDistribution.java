package dev.hotpath.samples.loadgen;

import dev.hotpath.samples.common.Args;
import dev.hotpath.samples.common.Units;
import java.util.SplittableRandom;

/** Object sizes: {@code 256k} (fixed) or weighted choices {@code 4k:70,1m:25,16m:5}. */
final class SizeDistribution {
    private final long[] sizes;
    private final int[] cumulative;

    private SizeDistribution(long[] sizes, int[] cumulative) {
        this.sizes = sizes;
        this.cumulative = cumulative;
    }

    static SizeDistribution parse(String spec) {
        String[] parts = spec.split(",");
        long[] sizes = new long[parts.length];
        int[] cum = new int[parts.length];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            String[] sw = parts[i].trim().split(":");
            sizes[i] = Units.parseBytes("sizes", sw[0]);
            int w;
            try {
                w = sw.length > 1 ? Integer.parseInt(sw[1].trim()) : 1;
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--sizes weights are integers, got '" + parts[i] + "'");
            }
            if (w <= 0 || sizes[i] < 0 || sizes[i] > Integer.MAX_VALUE) {
                throw new Args.UsageException("--sizes entry out of range: '" + parts[i] + "'");
            }
            total += w;
            cum[i] = total;
        }
        return new SizeDistribution(sizes, cum);
    }

    long next(SplittableRandom rnd) {
        int x = rnd.nextInt(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return sizes[i];
            }
        }
        return sizes[sizes.length - 1];
    }

    long max() {
        long m = 0;
        for (long s : sizes) {
            m = Math.max(m, s);
        }
        return m;
    }
}
