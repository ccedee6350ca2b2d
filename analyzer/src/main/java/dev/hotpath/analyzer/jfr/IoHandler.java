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
    /** One map per kind/op (file read, file write, socket read, socket write), keyed by target: no key building. */
    @SuppressWarnings("unchecked")
    private final Map<String, Acc>[] byOp = new Map[] {new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>()};

    private static final class Acc {
        long count;
        long bytes;
        long nanos;
        long max;
        final Map<String, long[]> frames = new HashMap<>(4);
    }
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
        String target;
        if (file) {
            // a stream opened from a file descriptor (stdout, an inherited fd) has no path
            target = e.getString("path");
            if (target == null) {
                target = "[no path: file descriptor]";
            }
        } else {
            String host = e.getString("host");
            target = (host == null || host.isEmpty() ? e.getString("address") : host) + ":" + e.getInt("port");
        }
        long bytes = e.getLong(read ? "bytesRead" : "bytesWritten");
        long nanos = e.getDuration().toNanos();
        Acc a = byOp[(file ? 0 : 2) + (read ? 0 : 1)].computeIfAbsent(target, k -> new Acc());
        a.count++;
        a.bytes += Math.max(0, bytes);
        a.nanos += nanos;
        a.max = Math.max(a.max, nanos);
        a.frames.computeIfAbsent(names.appFrame(e.getStackTrace()), k -> new long[1])[0] += nanos;
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
        for (int op = 0; op < 4; op++) {
            for (Map.Entry<String, Acc> e : byOp[op].entrySet()) {
                Acc a = e.getValue();
                String frame = a.frames.entrySet().stream()
                        .max(Map.Entry.comparingByValue((x, y) -> Long.compare(x[0], y[0]))).map(Map.Entry::getKey)
                        .orElse("");
                list.add(new JfrIoSummary.Target(op < 2 ? "file" : "socket", op % 2 == 0 ? "read" : "write",
                        e.getKey(), a.count, a.bytes, a.nanos, a.max, frame));
            }
        }
        list.sort((a, b) -> Long.compare(b.totalNanos(), a.totalNanos()));
        if (list.isEmpty() && th.isEmpty()) {
            return;
        }
        ctx.add(new JfrIoSummary(artifact, list.size() > TOP ? list.subList(0, TOP) : list, info.durationMs(), th));
    }
}
