package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.jfr.read.FieldIndex;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrType;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.profile.CollapsedProfile;
import dev.hotpath.analyzer.rules.io.JfrIoSummary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code jdk.FileRead/FileWrite/SocketRead/SocketWrite} by target and operation, without the I/O of hotpath's own
 * agent threads ({@link StackTally#ioFrame}).
 */
final class IoHandler implements JfrHandler {
    private static final int TOP = 50;
    static final Set<String> EVENTS = Set.of("jdk.FileRead", "jdk.FileWrite", "jdk.SocketRead", "jdk.SocketWrite");
    /** Indexes of {@link #fields}: a dense recording's millions of I/O events are read by position, not by name. */
    private static final int PATH = 0;
    private static final int HOST = 1;
    private static final int ADDRESS = 2;
    private static final int PORT = 3;
    private static final int BYTES_READ = 4;
    private static final int BYTES_WRITTEN = 5;
    private final FieldIndex fields = new FieldIndex("path", "host", "address", "port", "bytesRead", "bytesWritten");
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
    private JfrType[] types = new JfrType[4];
    private int[] ops = new int[4];
    private int typeCount;
    private final JfrSettings settings;

    IoHandler(JfrSettings settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> eventTypes() {
        return EVENTS;
    }

    @Override
    public void prepare(JfrType t) {
        fields.of(t);
        op(t);
    }

    @Override
    public void accept(JfrEvent e) {
        String frame = names.ioFrame(e.stackTrace());
        if (frame == null) {
            return; // the agent's own I/O
        }
        int[] at = fields.of(e.type());
        int op = op(e.type());
        boolean file = op < 2;
        boolean read = op % 2 == 0;
        String target;
        if (file) {
            // a stream opened from a file descriptor (stdout, an inherited fd) has no path
            target = e.getString(at[PATH]);
            if (target == null) {
                target = "[no path: file descriptor]";
            }
        } else {
            String host = e.getString(at[HOST]);
            target = (host == null || host.isEmpty() ? e.getString(at[ADDRESS]) : host) + ":" + e.getInt(at[PORT]);
        }
        long bytes = e.getLong(at[read ? BYTES_READ : BYTES_WRITTEN]);
        long nanos = e.durationNanos();
        Acc a = byOp[op].computeIfAbsent(target, k -> new Acc());
        a.count++;
        a.bytes += Math.max(0, bytes);
        a.nanos += nanos;
        a.max = Math.max(a.max, nanos);
        a.frames.computeIfAbsent(frame, k -> new long[1])[0] += nanos;
    }

    /**
     * The index into {@link #byOp} of an event type: file read, file write, socket read, socket write. Worked out
     * from the name once per type object (a chunk has one per type), not per event.
     */
    private int op(JfrType t) {
        for (int i = 0; i < typeCount; i++) {
            if (types[i] == t) {
                return ops[i];
            }
        }
        return learnOp(t);
    }

    /** A type seen for the first time: kept out of {@link #op}, which every I/O event calls. */
    private int learnOp(JfrType t) {
        String name = t.name();
        int op = (name.startsWith("jdk.File") ? 0 : 2) + (name.endsWith("Read") ? 0 : 1);
        if (typeCount == types.length) {
            types = Arrays.copyOf(types, typeCount * 2);
            ops = Arrays.copyOf(ops, typeCount * 2);
        }
        types[typeCount] = t;
        ops[typeCount++] = op;
        return op;
    }

    @Override
    public void absorb(JfrHandler later) {
        IoHandler o = (IoHandler) later;
        for (int op = 0; op < 4; op++) {
            for (Map.Entry<String, Acc> e : o.byOp[op].entrySet()) {
                Acc b = e.getValue();
                Acc a = byOp[op].computeIfAbsent(e.getKey(), k -> new Acc());
                a.count += b.count;
                a.bytes += b.bytes;
                a.nanos += b.nanos;
                a.max = Math.max(a.max, b.max);
                b.frames.forEach((f, n) -> a.frames.computeIfAbsent(f, k -> new long[1])[0] += n[0]);
            }
        }
    }

    /** Distinct ports of one host at which a socket op's targets merge into one (see {@link #byPeerHost}). */
    static final int MERGE_PORTS = 8;

    /**
     * Socket targets with the ports of a host that has many merged into {@code HOST:* (N ports)}. JFR's socket events
     * name the remote port, and the connections a server accepted have the client's ephemeral port, new for each
     * connection: a server's slow reads from one client host were a finding per connection (7 in a 20-second demo),
     * each a small share, where the fact is one host. The agent keys accepted connections by client host; JFR's
     * events do not say which side accepted, so a host whose targets have {@value #MERGE_PORTS} or more ports is
     * taken for clients (a client's pool to a server has one remote port; a cluster of eight nodes on one host is
     * the case this would merge wrongly).
     */
    static Map<String, Acc> byPeerHost(Map<String, Acc> targets) {
        Map<String, Integer> ports = new HashMap<>();
        for (String t : targets.keySet()) {
            ports.merge(host(t), 1, Integer::sum);
        }
        Map<String, Acc> out = new HashMap<>();
        for (Map.Entry<String, Acc> e : targets.entrySet()) {
            String host = host(e.getKey());
            int n = ports.get(host);
            if (n < MERGE_PORTS) {
                out.put(e.getKey(), e.getValue());
                continue;
            }
            Acc b = e.getValue();
            Acc a = out.computeIfAbsent(host + ":* (" + n + " ports)", k -> new Acc());
            a.count += b.count;
            a.bytes += b.bytes;
            a.nanos += b.nanos;
            a.max = Math.max(a.max, b.max);
            b.frames.forEach((f, v) -> a.frames.computeIfAbsent(f, k -> new long[1])[0] += v[0]);
        }
        return out;
    }

    private static String host(String target) {
        int colon = target.lastIndexOf(':');
        return colon < 0 ? target : target.substring(0, colon);
    }

    /** The frame with the most time in operations on a target (ties: the first name, so parts merge exactly). */
    private static String topFrame(Map<String, long[]> frames) {
        String best = "";
        long most = -1;
        for (Map.Entry<String, long[]> e : frames.entrySet()) {
            long v = e.getValue()[0];
            if (v > most || v == most && e.getKey().compareTo(best) < 0) {
                best = e.getKey();
                most = v;
            }
        }
        return best;
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
            for (Map.Entry<String, Acc> e : (op < 2 ? byOp[op] : byPeerHost(byOp[op])).entrySet()) {
                Acc a = e.getValue();
                String frame = topFrame(a.frames);
                list.add(new JfrIoSummary.Target(op < 2 ? "file" : "socket", op % 2 == 0 ? "read" : "write",
                        e.getKey(), a.count, a.bytes, a.nanos, a.max, frame));
            }
        }
        list.sort(java.util.Comparator.comparingLong(JfrIoSummary.Target::totalNanos).reversed()
                .thenComparing(JfrIoSummary.Target::kind).thenComparing(JfrIoSummary.Target::op)
                .thenComparing(JfrIoSummary.Target::target));
        if (list.isEmpty() && th.isEmpty()) {
            return;
        }
        ctx.add(new JfrIoSummary(artifact, list.size() > TOP ? list.subList(0, TOP) : list, info.durationMs(), th));
    }
}
