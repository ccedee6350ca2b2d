package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The digest of one agent snapshot: its call sites (already bounded by the agent's {@code maxSites}), the number of
 * operations folded into {@code (other)}, and the time span the counts cover.
 */
public record IoSnapshot(Artifact source, long pid, Instant startedAt, Instant capturedAt, long dropped,
                         List<IoCallSite> callSites) implements Summary {
    public IoSnapshot {
        callSites = List.copyOf(callSites);
    }

    @Override
    public String kind() {
        return "io.snapshot";
    }

    /** Seconds between the agent's start and the capture; 0 when unknown. */
    public double seconds() {
        if (startedAt == null || capturedAt == null) {
            return 0;
        }
        return Math.max(0, Duration.between(startedAt, capturedAt).toMillis() / 1000.0);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("startedAt", startedAt == null ? null : startedAt.toString());
        m.put("capturedAt", capturedAt == null ? null : capturedAt.toString());
        m.put("dropped", dropped);
        List<Object> sites = new ArrayList<>();
        for (IoCallSite c : callSites) {
            sites.add(c.toJson());
        }
        m.put("callSites", sites);
        return m;
    }
}
