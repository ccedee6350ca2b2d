package dev.hotpath.agent.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The recorder's own hash map against java.util.HashMap, with keys whose hashes collide on purpose. */
class OwnMapTest {
    private static final class K implements OwnMap.Key {
        final int hash;
        final String name;

        K(int hash, String name) {
            this.hash = hash;
            this.name = name;
        }

        @Override
        public int keyHash() {
            return hash;
        }

        @Override
        public boolean sameKey(OwnMap.Key other) {
            return name.equals(((K) other).name);
        }
    }

    @Test
    void getPutAndAddAgreeWithAHashMapThroughGrowthAndCollisions() {
        OwnMap<K, String> own = new OwnMap<>();
        Map<String, String> ref = new HashMap<>();
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            int n = random.nextInt(3000);
            K k = new K(n % 7, "k" + n); // 7 hashes for 3,000 names: long probe runs
            if (random.nextBoolean()) {
                assertThat(own.put(k, "v" + i)).isEqualTo(ref.put(k.name, "v" + i));
            } else {
                assertThat(own.get(k)).isEqualTo(ref.get(k.name));
            }
        }
        assertThat(own.size()).isEqualTo(ref.size());
        int values = 0;
        for (int i = 0; i < own.capacity(); i++) {
            if (own.valueAt(i) != null) {
                values++;
            }
        }
        assertThat(values).isEqualTo(ref.size());
        assertThat(own.capacity()).isEqualTo(Integer.highestOneBit(ref.size() * 2 - 1) * 2);

        OwnMap<K, K> set = new OwnMap<>();
        K a = new K(1, "a");
        assertThat(set.add(a)).isTrue();
        assertThat(set.add(new K(1, "a"))).isFalse();
        assertThat(set.contains(new K(1, "a"))).isTrue();
        assertThat(set.contains(new K(1, "b"))).isFalse();
        assertThat(set.get(new K(1, "a"))).isSameAs(a);
        assertThat(set.size()).isEqualTo(1);
    }
}
