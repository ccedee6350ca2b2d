package dev.hotpath.analyzer.rules.threads;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Threads and exceptions over one recording.
 *
 * @param countTimeMs        sample times (epoch ms) of the live thread count, parallel to {@code activeCounts}
 * @param aliveByPattern     threads started during the recording and still alive at its end, by name pattern
 *                           (digits replaced with {@code N}, e.g. {@code pool-N-thread-N}), most first (bounded)
 * @param throwables         exceptions and errors created during the recording ({@code jdk.ExceptionStatistics}
 *                           delta between its first and last sample, {@code throwablesWindowMs} apart); -1
 *                           when not recorded
 * @param exceptionSites     per thrown class and throwing application frame, from {@code jdk.JavaExceptionThrow}
 *                           / {@code jdk.JavaErrorThrow} when enabled; empty otherwise (bounded)
 */
public record ThreadSummary(Artifact source, long[] countTimeMs, long[] activeCounts, long started, long ended,
                            List<Pattern> aliveByPattern, long throwables, long throwablesWindowMs, long durationMs,
                            List<ExceptionSite> exceptionSites, boolean exceptionEventsEnabled) implements Summary {
    public static final String KIND = "threads";

    public record Pattern(String pattern, long alive, String parent) {
    }

    public record ExceptionSite(String thrownClass, String frame, long count) {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started", started);
        m.put("ended", ended);
        m.put("samples", activeCounts.length);
        if (activeCounts.length > 0) {
            m.put("firstActive", activeCounts[0]);
            m.put("lastActive", activeCounts[activeCounts.length - 1]);
        }
        List<Object> pats = new ArrayList<>();
        for (Pattern p : aliveByPattern) {
            pats.add(Map.of("pattern", p.pattern(), "alive", p.alive(), "parent", p.parent()));
        }
        m.put("aliveByPattern", pats);
        m.put("throwables", throwables);
        m.put("throwablesWindowMs", throwablesWindowMs);
        m.put("durationMs", durationMs);
        List<Object> sites = new ArrayList<>();
        for (ExceptionSite s : exceptionSites) {
            sites.add(Map.of("class", s.thrownClass(), "frame", s.frame(), "count", s.count()));
        }
        m.put("exceptionSites", sites);
        return m;
    }
}
