package dev.hotpath.analyzer.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot's per-site {@code latencyBuckets} are read, kept and stored with the summary (the UI draws them). */
class LatencyBucketsReadTest {
    @TempDir
    Path dir;

    @Test
    void bucketsAreReadInOrderAndStoredWithTheSite() throws Exception {
        Path p = Files.writeString(dir.resolve("snap.json"), """
                {"pid":1,"startedAt":"2026-11-25T10:00:00Z","capturedAt":"2026-11-25T10:00:10Z","dropped":0,"callSites":[
                {"site":"com.acme.Log.append(Log.java:88)","kind":"file","op":"write","target":"/data/seg","count":5,"bytes":50,
                 "latencyNanos":{"p50":1023,"p90":57343,"p99":60000,"p999":60000,"max":60000},"pattern":"sequential",
                 "latencyBuckets":[{"fromNanos":896,"toNanos":1024,"count":3},{"fromNanos":49152,"toNanos":57344,"count":1},
                                   {"fromNanos":57344,"toNanos":65536,"count":1},{"fromNanos":5,"toNanos":4,"count":9}]},
                {"site":"com.acme.Old.read(Old.java:1)","kind":"file","op":"read","target":"/data/old","count":1,"bytes":1,
                 "latencyNanos":{"p50":1,"p90":1,"p99":1,"p999":1,"max":1},"pattern":"n/a"}]}
                """);
        IoSnapshot s = AgentSnapshotReader.read(p, IoSnapshotFixtures.artifact(p), n -> { });
        assertThat(s.callSites().get(0).latencyBuckets()).containsExactly(new IoLatencyBucket(896, 1024, 3),
                new IoLatencyBucket(49152, 57344, 1), new IoLatencyBucket(57344, 65536, 1));
        assertThat(s.callSites().get(1).latencyBuckets()).isEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sites = (List<Map<String, Object>>) ((Map<String, Object>) s.toJson()).get("callSites");
        assertThat(sites.get(0).get("latencyBuckets")).isEqualTo(List.of(
                Map.of("fromNanos", 896L, "toNanos", 1024L, "count", 3L),
                Map.of("fromNanos", 49152L, "toNanos", 57344L, "count", 1L),
                Map.of("fromNanos", 57344L, "toNanos", 65536L, "count", 1L)));
        assertThat(sites.get(1)).doesNotContainKey("latencyBuckets");
    }
}
