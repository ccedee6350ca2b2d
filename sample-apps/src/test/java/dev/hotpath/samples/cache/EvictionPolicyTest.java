package dev.hotpath.samples.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvictionPolicyTest {
    private static final CachedObject UNIT = new CachedObject(new byte[1], null);

    /** Hot keys h0..h4 are read often; then a one-pass scan of 50 cold keys; how many hot keys survive? */
    private static int hotKeysSurvivingAScan(String policy) {
        MemoryTier t = new MemoryTier(10, EvictionPolicy.create(policy, 10));
        for (int round = 0; round < 3; round++) {
            for (int h = 0; h < 5; h++) {
                if (t.get("h" + h) == null) {
                    t.put("h" + h, UNIT);
                }
            }
        }
        for (int s = 0; s < 50; s++) {
            t.put("scan" + s, UNIT);
        }
        int alive = 0;
        for (int h = 0; h < 5; h++) {
            alive += t.contains("h" + h) ? 1 : 0;
        }
        return alive;
    }

    @Test
    void lruLosesTheWorkingSetToAScan() {
        assertThat(hotKeysSurvivingAScan("lru")).isZero();
    }

    @Test
    void s3FifoKeepsTheWorkingSetThroughAScan() {
        assertThat(hotKeysSurvivingAScan("s3fifo")).isEqualTo(5);
    }

    @Test
    void lruEvictsTheLeastRecentlyUsed() {
        MemoryTier t = new MemoryTier(3, EvictionPolicy.create("lru", 3));
        t.put("a", UNIT);
        t.put("b", UNIT);
        t.put("c", UNIT);
        t.get("a");
        assertThat(t.put("d", UNIT)).extracting(java.util.Map.Entry::getKey).containsExactly("b");
    }

    @Test
    void s3FifoSendsOneHitWondersThroughTheSmallQueueAndRemembersThemInTheGhost() {
        S3FifoPolicy p = new S3FifoPolicy(10);
        p.onInsert("x", 1);
        p.onInsert("y", 1);
        assertThat(p.evict()).isEqualTo("x"); // small FIFO, never hit
        p.onInsert("x", 1); // ghost hit: goes to main
        assertThat(p.evict()).isEqualTo("y");
        assertThat(p.evict()).isEqualTo("x");
        assertThat(p.evict()).isNull();
    }
}
