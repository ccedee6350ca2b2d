package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.rules.io.JfrIoSummary;
import jdk.jfr.consumer.RecordedEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code jdk.FileRead/FileWrite/SocketRead/SocketWrite} by target and operation. */
final class IoHandler implements JfrHandler {
    private static final int TOP = 50;
    static final Set<String> EVENTS = Set.of("jdk.FileRead", "jdk.FileWrite", "jdk.SocketRead", "jdk.SocketWrite");
    private final Map<String, long[]> byKey = new HashMap<>();
    private final Map<String, Map<String, long[]>> frames = new HashMap<>();
    private final StackTally names = new StackTally(new CollapsedProfile(1));
    private final JfrSettings settings;

    IoHandler(JfrSettings settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> eventTypes() {
        return EVENTS;
    }

    @Override
    public void accept(RecordedEvent e) {
        String type = e.getEventType().getName();
        boolean file = type.startsWith("jdk.File");
        boolean read = type.endsWith("Read");
        // a stream opened from a file descriptor (stdout, an inherited fd) has no path
        String target = file ? (e.getString("path") == null ? "[no path: file descriptor]" : e.getString("path"))
                : (e.getString("host") == null || e.getString("host").isEmpty() ? e.getString("address")
                : e.getString("host")) + ":" + e.getInt("port");
        long bytes = e.getLong(read ? "bytesRead" : "bytesWritten");
        long nanos = e.getDuration().toNanos();
        String key = (file ? "file" : "socket") + '|' + (read ? "read" : "write") + '|' + target;
        long[] v = byKey.computeIfAbsent(key, k -> new long[4]);
        v[0]++;
        v[1] += Math.max(0, bytes);
        v[2] += nanos;
        v[3] = Math.max(v[3], nanos);
        frames.computeIfAbsent(key, k -> new HashMap<>())
                .computeIfAbsent(names.appFrame(e.getStackTrace()), k -> new long[1])[0] += nanos;
    }

    @Override
    public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
        Map<String, String> th = new TreeMap<>();
        for (String ev : EVENTS) {
            String t = settings.thresholds().get(ev);
            if (t != null) {
                th.put(ev, t);
            }
        }
        List<JfrIoSummary.Target> list = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byKey.entrySet()) {
            String[] k = e.getKey().split("\\|", 3);
            String frame = frames.get(e.getKey()).entrySet().stream()
                    .max(Map.Entry.comparingByValue((a, b) -> Long.compare(a[0], b[0]))).map(Map.Entry::getKey)
                    .orElse("");
            long[] v = e.getValue();
            list.add(new JfrIoSummary.Target(k[0], k[1], k[2], v[0], v[1], v[2], v[3], frame));
        }
        list.sort((a, b) -> Long.compare(b.totalNanos(), a.totalNanos()));
        if (list.isEmpty() && th.isEmpty()) {
            return;
        }
        ctx.add(new JfrIoSummary(artifact, list.size() > TOP ? list.subList(0, TOP) : list, info.durationMs(), th));
    }
}
