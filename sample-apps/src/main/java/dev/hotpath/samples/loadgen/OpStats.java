package dev.hotpath.samples.loadgen;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Latencies (µs, HdrHistogram, 3 significant digits) and counts of one operation type; one per worker thread, merged at the end. */
final class OpStats {
    final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    long ops;
    long errors;
    long throttled;
    long bytes;

    void record(long micros, long bytes) {
        latencyMicros.recordValue(Math.max(0, Math.min(micros, latencyMicros.getHighestTrackableValue())));
        ops++;
        this.bytes += bytes;
    }

    void add(OpStats o) {
        latencyMicros.add(o.latencyMicros);
        ops += o.ops;
        errors += o.errors;
        throttled += o.throttled;
        bytes += o.bytes;
    }

    Map<String, Object> toJson(String op, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("ops", ops);
        m.put("errors", errors);
        m.put("throttled", throttled);
        m.put("bytes", bytes);
        m.put("opsPerSec", seconds > 0 ? ops / seconds : 0.0);
        m.put("mibPerSec", seconds > 0 ? bytes / seconds / (1024.0 * 1024.0) : 0.0);
        Map<String, Object> lat = new LinkedHashMap<>();
        boolean any = latencyMicros.getTotalCount() > 0;
        lat.put("min", any ? latencyMicros.getMinValue() : 0);
        lat.put("mean", any ? latencyMicros.getMean() : 0.0);
        lat.put("p50", latencyMicros.getValueAtPercentile(50));
        lat.put("p90", latencyMicros.getValueAtPercentile(90));
        lat.put("p99", latencyMicros.getValueAtPercentile(99));
        lat.put("p999", latencyMicros.getValueAtPercentile(99.9));
        lat.put("max", latencyMicros.getMaxValue());
        m.put("latencyMicros", lat);
        return m;
    }
}
