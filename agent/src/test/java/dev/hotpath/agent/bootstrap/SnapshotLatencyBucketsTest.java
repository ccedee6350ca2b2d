package dev.hotpath.agent.bootstrap;

import dev.hotpath.agent.export.SnapshotJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The snapshot carries each call site's non-empty histogram buckets (the UI draws them per site). */
class SnapshotLatencyBucketsTest {
    @Test
    void snapshotListsNonEmptyBucketsWithBoundsAndCounts() {
        SiteCounter c = new SiteCounter("com.acme.Log.append(Log.java:88)", "com.acme.Log", "append", 88, 0, 1, "/data/seg");
        for (int i = 0; i < 3; i++) {
            c.record(1000, 10, false, 1);
        }
        c.record(50_000, 10, false, 1);
        c.record(60_000, 10, false, 1);
        String json = SnapshotJson.render(1, 0, 1000, 0, new SiteCounter[] {c});
        // 2^15..2^16 ns is split in quarters of 8192 ns: 50 000 lands in [49152, 57344), 60 000 in [57344, 65536)
        assertThat(json).contains("\"latencyBuckets\":[{\"fromNanos\":896,\"toNanos\":1024,\"count\":3},"
                + "{\"fromNanos\":49152,\"toNanos\":57344,\"count\":1},{\"fromNanos\":57344,\"toNanos\":65536,\"count\":1}]");
    }
}
