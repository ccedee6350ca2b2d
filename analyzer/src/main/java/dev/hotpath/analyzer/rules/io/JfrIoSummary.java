package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JFR's file and socket events by target (path, or host:port). JFR records only operations slower than the event's
 * threshold (20 ms in the default and profile settings; {@code thresholds} says what this recording used), so
 * this is the slow tail, not the I/O volume; hotpath's agent sees every operation.
 *
 * @param targets    heaviest total time first (bounded)
 * @param thresholds event name → threshold setting as JFR recorded it ("20 ms"); absent when unknown
 */
public record JfrIoSummary(Artifact source, List<Target> targets, long durationMs, Map<String, String> thresholds)
        implements Summary {
    public static final String KIND = "io.jfr";

    /** @param kind {@code file} or {@code socket}; @param op {@code read} or {@code write} */
    public record Target(String kind, String op, String target, long count, long bytes, long totalNanos,
                         long maxNanos, String frame) {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (Target t : targets) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", t.kind());
            x.put("op", t.op());
            x.put("target", t.target());
            x.put("count", t.count());
            x.put("bytes", t.bytes());
            x.put("totalNanos", t.totalNanos());
            x.put("maxNanos", t.maxNanos());
            x.put("frame", t.frame());
            list.add(x);
        }
        m.put("targets", list);
        m.put("durationMs", durationMs);
        m.put("thresholds", thresholds);
        return m;
    }
}
