package dev.hotpath.alloc.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A per-run number that is summarised and compared across variants.
 *
 * @param key        the JSON name (unit as suffix, per the findings JSON convention)
 * @param label      how verdict sentences name it ("peak RSS")
 * @param resolution the measurement's quantum in the key's unit (used as a floor on the noise; 0 when unknown)
 * @param value      NaN when the run did not measure it
 */
public record Metric(String key, String label, double resolution, ToDoubleFunction<RunResult> value) {
    public static final Metric PEAK_RSS = new Metric("peakRssBytes", "peak RSS", 4096, r -> bytes(r.peakRssBytes()));
    public static final Metric END_RSS = new Metric("endRssBytes", "end RSS", 4096, r -> bytes(r.endRssBytes()));
    public static final Metric CPU = new Metric("cpuSeconds", "CPU time", 0.01, RunResult::cpuSeconds);
    public static final Metric WALL = new Metric("wallSeconds", "wall time", 0.001, RunResult::wallSeconds);

    /** The compared metrics: the four core ones, then the workload's own in {@code --metric} order. */
    public static List<Metric> compared(List<MetricPattern> custom) {
        List<Metric> out = new ArrayList<>(List.of(PEAK_RSS, END_RSS, CPU, WALL));
        for (MetricPattern m : custom) {
            String name = m.name();
            out.add(new Metric(name, name, 0, r -> r.metrics().getOrDefault(name, Double.NaN)));
        }
        return out;
    }

    private static double bytes(long v) {
        return v < 0 ? Double.NaN : v;
    }

    /** The metric over usable runs, skipping runs where it was not measured. */
    public double[] values(List<RunResult> runs) {
        double[] out = new double[runs.size()];
        int n = 0;
        for (RunResult r : runs) {
            if (!r.usable()) {
                continue;
            }
            double v = value.applyAsDouble(r);
            if (!Double.isNaN(v)) {
                out[n++] = v;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
