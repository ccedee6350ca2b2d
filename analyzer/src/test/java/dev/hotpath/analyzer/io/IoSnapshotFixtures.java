package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Agent snapshots in the exact DESIGN.md format, with the faults the sample services plant. */
final class IoSnapshotFixtures {
    private IoSnapshotFixtures() {
    }

    static String site(String site, String kind, String op, String target, long count, long bytes, long p50, long p99,
                       String pattern) {
        return "{\"site\":\"" + site + "\",\"kind\":\"" + kind + "\",\"op\":\"" + op + "\",\"target\":\"" + target
                + "\",\"count\":" + count + ",\"bytes\":" + bytes + ",\"latencyNanos\":{\"p50\":" + p50 + ",\"p90\":"
                + p50 + ",\"p99\":" + p99 + ",\"p999\":" + p99 + ",\"max\":" + p99 + "},\"pattern\":\"" + pattern
                + "\"}";
    }

    /** A call site with all five latency percentiles given (nanoseconds). */
    static String site(String site, String kind, String op, String target, long count, long bytes, long p50, long p90,
                       long p99, long p999, long max) {
        return "{\"site\":\"" + site + "\",\"kind\":\"" + kind + "\",\"op\":\"" + op + "\",\"target\":\"" + target
                + "\",\"count\":" + count + ",\"bytes\":" + bytes + ",\"latencyNanos\":{\"p50\":" + p50 + ",\"p90\":"
                + p90 + ",\"p99\":" + p99 + ",\"p999\":" + p999 + ",\"max\":" + max + "},\"pattern\":\"n/a\"}";
    }

    /** A snapshot of 100 s holding the given call-site objects. */
    static String snapshot(java.util.List<String> sites) {
        return "{\"pid\":4242,\"startedAt\":\"2026-11-25T10:00:00Z\",\"capturedAt\":\"2026-11-25T10:01:40Z\","
                + "\"dropped\":0,\"callSites\":[" + String.join(",", sites) + "]}";
    }

    /** 100 s of a gateway with small writes, a force per write, random reads, a slow tail and one hot peer. */
    static String faulty(String dataFile) {
        return "{\"pid\":4242,\"startedAt\":\"2026-11-25T10:00:00Z\",\"capturedAt\":\"2026-11-25T10:01:40Z\","
                + "\"dropped\":7,\"callSites\":["
                + site("com.acme.Log.append(Log.java:88)", "file", "write", "/data/seg-001.log", 200000, 25600000,
                        1200, 9000, "sequential") + ","
                + site("com.acme.Journal.commit(Journal.java:40)", "file", "write", "/data/journal", 5000, 5120000,
                        2000, 8000, "sequential") + ","
                + site("com.acme.Journal.commit(Journal.java:41)", "file", "force", "/data/journal", 5000, 0,
                        2000000, 9000000, "n/a") + ","
                + site("com.acme.Shards.fetch(Shards.java:120)", "file", "read", dataFile, 50000, 204800000,
                        80000, 2500000, "random") + ","
                + site("com.acme.Peer.send(Peer.java:10)", "socket", "write", "10.0.0.7:9000", 30000, 3000000,
                        20000, 90000, "n/a") + ","
                + site("com.acme.Peer.send(Peer.java:10)", "socket", "write", "10.0.0.8:9000", 1000, 100000,
                        20000, 90000, "n/a") + ","
                + site("(jdk)", "file", "read", "/usr/lib/jvm/lib/tzdb.dat", 26, 205640, 4000, 60000, "sequential")
                + "]}";
    }

    static Artifact artifact(Path p) throws IOException {
        return new Artifact(p, ArtifactType.AGENT_SNAPSHOT, Files.size(p), null, Map.of());
    }
}
