package dev.hotpath.agent.bootstrap;

import dev.hotpath.agent.export.SnapshotJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key unchanged between two renders has its row kept as text and reused; the text must be exactly what a render
 * of the key gives, and a later operation on the key must show in the next render.
 */
class SnapshotQuietRowsTest {
    private static String row(String site, String target, long count, long bytes, long p, String buckets) {
        return row(site, target, count, bytes, p, p, buckets);
    }

    private static String row(String site, String target, long count, long bytes, long p50, long p, String buckets) {
        return "\n{\"site\":\"" + site + "\",\"kind\":\"file\",\"op\":\"write\",\"target\":\"" + target
                + "\",\"count\":" + count + ",\"bytes\":" + bytes + ",\"latencyNanos\":{\"p50\":" + p50 + ",\"p90\":" + p
                + ",\"p99\":" + p + ",\"p999\":" + p + ",\"max\":" + p + "},\"latencyBuckets\":[" + buckets
                + "],\"pattern\":\"sequential\"}";
    }

    private static String snapshot(String... rows) {
        return "{\"pid\":7,\"startedAt\":\"1970-01-01T00:00:00Z\",\"capturedAt\":\"1970-01-01T00:00:01Z\",\"dropped\":0,"
                + "\"callSites\":[" + String.join(",", rows) + "]}\n";
    }

    @Test
    void quietRowsAreReusedAsTextAndAChangeShowsAtOnce() {
        SiteCounter hot = new SiteCounter("A.put(A.java:9)", "A", "put", 9, Ops.KIND_FILE, Ops.WRITE, "/d/hot");
        SiteCounter tmp = new SiteCounter("A.put(A.java:9)", "A", "put", 9, Ops.KIND_FILE, Ops.WRITE,
                "/d/put-1\"q.tmp");
        SiteCounter never = new SiteCounter("A.get(A.java:5)", "A", "get", 5, Ops.KIND_FILE, Ops.WRITE, "/d/none");
        SiteCounter[] keys = {hot, tmp, never};
        hot.record(1000, 100, false, 1);
        tmp.record(1000, 16384, false, 1);
        String b1000 = "{\"fromNanos\":896,\"toNanos\":1024,\"count\":1}";
        String tmpRow = row("A.put(A.java:9)", "/d/put-1\\\"q.tmp", 1, 16384, 1000, b1000);
        String first = snapshot(tmpRow, row("A.put(A.java:9)", "/d/hot", 1, 100, 1000, b1000));
        // first render, second (both unchanged: rendered again and kept), third (from the kept text)
        for (int i = 0; i < 3; i++) {
            assertThat(SnapshotJson.render(7, 0, 1000, 0, keys)).isEqualTo(first);
        }
        // the hot key changes: its row is rendered anew, the quiet one still comes from its text
        hot.record(1000, 100, false, 1);
        hot.record(1000, 100, false, 1);
        String b3 = "{\"fromNanos\":896,\"toNanos\":1024,\"count\":3}";
        String second = snapshot(row("A.put(A.java:9)", "/d/hot", 3, 300, 1000, b3), tmpRow);
        assertThat(SnapshotJson.render(7, 0, 1000, 0, keys)).isEqualTo(second);
        assertThat(SnapshotJson.render(7, 0, 1000, 0, keys)).isEqualTo(second);
        // a quiet key that changes again leaves its kept text at once
        tmp.record(2000, 16384, false, 1);
        String b2000 = "{\"fromNanos\":1792,\"toNanos\":2048,\"count\":1}";
        assertThat(SnapshotJson.render(7, 0, 1000, 0, keys)).isEqualTo(snapshot(
                row("A.put(A.java:9)", "/d/hot", 3, 300, 1000, b3),
                row("A.put(A.java:9)", "/d/put-1\\\"q.tmp", 2, 32768, 1023, 2000, b1000 + "," + b2000)));
    }

    /**
     * Renders sort the last render's order again (new keys appended): the order must be exactly a fresh sort's
     * (count, then bytes, descending, then site and target) as counts overtake each other, and a render of another
     * set of keys shows those keys only.
     */
    @Test
    void theOrderFollowsTheCountsAcrossRendersAndOnlyTheGivenKeysAreShown() {
        SiteCounter[] keys = new SiteCounter[5];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new SiteCounter("B.w(B.java:" + (10 + i) + ")", "B", "w", 10 + i, Ops.KIND_FILE, Ops.WRITE,
                    "/o/" + i);
            keys[i].record(-1, 8, false, 1);
        }
        assertThat(order(SnapshotJson.render(7, 0, 1000, 0, keys))).isEqualTo("10 11 12 13 14");
        keys[3].record(-1, 8, false, 1);
        assertThat(order(SnapshotJson.render(7, 0, 1000, 0, keys))).isEqualTo("13 10 11 12 14");
        keys[1].record(-1, 8, false, 1);
        keys[1].record(-1, 8, false, 1);
        keys[4].record(-1, 16, false, 1); // ties with 13 on count, more bytes
        assertThat(order(SnapshotJson.render(7, 0, 1000, 0, keys))).isEqualTo("11 14 13 10 12");
        SiteCounter late = new SiteCounter("B.w(B.java:15)", "B", "w", 15, Ops.KIND_FILE, Ops.WRITE, "/o/5");
        late.record(-1, 8, false, 1);
        SiteCounter[] more = {keys[0], keys[1], keys[2], keys[3], keys[4], late};
        assertThat(order(SnapshotJson.render(7, 0, 1000, 0, more))).isEqualTo("11 14 13 10 12 15");
        assertThat(order(SnapshotJson.render(7, 0, 1000, 0, new SiteCounter[] {keys[2], late})))
                .isEqualTo("12 15");
        assertThat(order(SnapshotJson.render(7, 0, 1000, 0, more))).isEqualTo("11 14 13 10 12 15");
    }

    /**
     * The render's own merge sort against the reference order (count, bytes descending, then site line) over 2,000
     * keys: a first render of keys in creation order, renders after a few keys moved, after many did, after none did,
     * with new keys appended, and with a third of the keys left out.
     */
    @Test
    void theMergeOfRunsGivesExactlyTheReferenceOrderOverManyKeysAndRenders() {
        java.util.Random random = new java.util.Random(13);
        java.util.List<SiteCounter> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            keys.add(key(1000 + i, random.nextInt(50) + 1, 8));
        }
        int[] moved = {0, 5, 0, 1500, 40};
        for (int round = 0; round < moved.length; round++) {
            for (int m = 0; m < moved[round]; m++) {
                SiteCounter k = keys.get(random.nextInt(keys.size()));
                k.record(-1, random.nextInt(3) * 8, false, 1);
            }
            if (round == 2) {
                for (int i = 0; i < 300; i++) {
                    keys.add(key(5000 + i, random.nextInt(60) + 1, 4));
                }
            }
            SiteCounter[] shown = keys.toArray(new SiteCounter[0]);
            if (round == 4) {
                java.util.List<SiteCounter> some = new java.util.ArrayList<>();
                for (int i = 0; i < shown.length; i++) {
                    if (i % 3 != 0) {
                        some.add(shown[i]);
                    }
                }
                shown = some.toArray(new SiteCounter[0]);
            }
            assertThat(order(SnapshotJson.render(7, 0, 1000, 0, shown))).as("round %d", round)
                    .isEqualTo(referenceOrder(shown));
        }
    }

    private static SiteCounter key(int line, int ops, long bytesPerOp) {
        SiteCounter k = new SiteCounter("B.w(B.java:" + line + ")", "B", "w", line, Ops.KIND_FILE, Ops.WRITE, "/o");
        for (int i = 0; i < ops; i++) {
            k.record(-1, bytesPerOp, false, 1);
        }
        return k;
    }

    private static String referenceOrder(SiteCounter[] keys) {
        SiteCounter[] sorted = keys.clone();
        java.util.Arrays.sort(sorted, java.util.Comparator.comparingLong(SiteCounter::count).reversed()
                .thenComparing(java.util.Comparator.comparingLong(SiteCounter::bytes).reversed())
                .thenComparing(k -> k.site));
        StringBuilder sb = new StringBuilder();
        for (SiteCounter k : sorted) {
            sb.append(sb.length() == 0 ? "" : " ").append(k.siteLine);
        }
        return sb.toString();
    }

    /** The line numbers of the rendered sites, in order. */
    private static String order(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("B\\.java:(\\d+)").matcher(json);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            sb.append(sb.length() == 0 ? "" : " ").append(m.group(1));
        }
        return sb.toString();
    }
}
