package dev.hotpath.agent.bootstrap;

import dev.hotpath.agent.export.SettledCounts;
import dev.hotpath.agent.export.SnapshotJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exit snapshot reads the keys until two consecutive passes agree: an operation caught between its count and its
 * bytes (the race that made a SIGTERM snapshot's bytes run ahead of 100 x count) is read once it is complete, a key
 * created by an operation in flight is included, and a key that never stops moving ends the passes at the bound.
 */
class SettledCountsTest {
    private static final String B1000 = "{\"fromNanos\":896,\"toNanos\":1024,\"count\":1}";

    /** Source whose {@code n}-th read first runs step {@code n} (a host thread finishing its operation). */
    private static final class Steps implements SettledCounts.Source {
        final Runnable[] steps;
        SiteCounter[] keys;
        int reads;

        Steps(SiteCounter[] keys, Runnable... steps) {
            this.keys = keys;
            this.steps = steps;
        }

        @Override
        public SiteCounter[] counters() {
            if (reads < steps.length) {
                steps[reads].run();
            }
            reads++;
            return keys.clone();
        }

        @Override
        public long dropped() {
            return 0;
        }
    }

    private static SiteCounter key(String target) {
        return new SiteCounter("A.put(A.java:9)", "A", "put", 9, Ops.KIND_FILE, Ops.WRITE, target);
    }

    @Test
    void anOperationCaughtBetweenItsCountAndItsBytesIsReadWhenComplete() throws Exception {
        SiteCounter k = key("/d/log");
        k.record(1000, 100, false, 1);
        int base = SiteCounter.stripe(0);
        Steps s = new Steps(new SiteCounter[]{k},
                () -> k.cells[base + SiteCounter.SEQUENTIAL]++, // the second write counted, its bytes not yet
                () -> k.cells[base + SiteCounter.BYTES] += 100); // and now its bytes
        SettledCounts c = SettledCounts.read(s, 20, 0);
        assertThat(c.settled).isTrue();
        assertThat(c.passes).isEqualTo(3);
        assertThat(s.reads).isEqualTo(3);
        assertThat(c.count(0)).isEqualTo(2);
        assertThat(c.bytes(0)).isEqualTo(200);
        assertThat(SnapshotJson.render(7, 0, 1000, c)).isEqualTo(
                "{\"pid\":7,\"startedAt\":\"1970-01-01T00:00:00Z\",\"capturedAt\":\"1970-01-01T00:00:01Z\",\"dropped\":0,"
                        + "\"callSites\":[\n{\"site\":\"A.put(A.java:9)\",\"kind\":\"file\",\"op\":\"write\",\"target\":"
                        + "\"/d/log\",\"count\":2,\"bytes\":200,\"latencyNanos\":{\"p50\":1000,\"p90\":1000,\"p99\":1000,"
                        + "\"p999\":1000,\"max\":1000},\"latencyBuckets\":[" + B1000 + "],\"pattern\":\"sequential\"}]}\n");
    }

    @Test
    void aKeyCreatedByAnOperationInFlightIsIncluded() throws Exception {
        SiteCounter a = key("/d/a");
        SiteCounter b = key("/d/b");
        a.record(1000, 100, false, 1);
        Steps grows = new Steps(new SiteCounter[]{a}, () -> { }, null);
        grows.steps[1] = () -> { // an operation in flight creates the key b and records on it
            b.record(-1, 7, false, 0);
            grows.keys = new SiteCounter[]{a, b};
        };
        SettledCounts c = SettledCounts.read(grows, 20, 0);
        assertThat(c.settled).isTrue();
        assertThat(c.passes).isEqualTo(3);
        assertThat(c.counters).containsExactly(a, b);
        assertThat(c.count(1)).isEqualTo(1);
        assertThat(c.bytes(1)).isEqualTo(7);
    }

    @Test
    void keysThatNeverStopMovingEndThePassesAtTheBoundWithTheLastPass() throws Exception {
        SiteCounter k = key("/d/busy");
        Runnable op = () -> k.record(-1, 100, false, 1);
        SettledCounts c = SettledCounts.read(new Steps(new SiteCounter[]{k}, op, op, op, op, op, op, op), 5, 0);
        assertThat(c.settled).isFalse();
        assertThat(c.passes).isEqualTo(5);
        assertThat(c.count(0)).isEqualTo(5);
        assertThat(c.bytes(0)).isEqualTo(500);
    }
}
