package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.rules.gc.OldObjectSummary;
import dev.hotpath.analyzer.jfr.read.JfrClass;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code jdk.OldObjectSample} by object class and allocating application frame. */
final class OldObjectHandler implements JfrHandler {
    private static final int TOP = 10;
    private final Map<String, long[]> byClass = new HashMap<>();
    private final Map<String, long[]> byFrame = new HashMap<>();
    private final StackTally names = new StackTally(new CollapsedProfile(1));
    private long samples;

    @Override
    public boolean mergesByReplay() {
        return true;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("jdk.OldObjectSample");
    }

    @Override
    public void accept(JfrEvent e) {
        samples++;
        JfrObject obj = e.getObject("object");
        JfrClass c = obj == null ? null : obj.getClass("type");
        byClass.computeIfAbsent(c == null ? "[unknown]" : c.getName(), k -> new long[1])[0]++;
        byFrame.computeIfAbsent(names.appFrame(e.stackTrace()), k -> new long[1])[0]++;
    }

    private static List<OldObjectSummary.Count> top(Map<String, long[]> m) {
        List<OldObjectSummary.Count> l = new ArrayList<>();
        m.forEach((k, v) -> l.add(new OldObjectSummary.Count(k, v[0])));
        l.sort((a, b) -> a.samples() != b.samples() ? Long.compare(b.samples(), a.samples())
                : a.name().compareTo(b.name()));
        return l.size() > TOP ? l.subList(0, TOP) : l;
    }

    @Override
    public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
        if (samples > 0) {
            ctx.add(new OldObjectSummary(artifact, samples, top(byClass), top(byFrame)));
        }
    }
}
