package dev.hotpath.agent.export;

import dev.hotpath.agent.bootstrap.LatencyBuckets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExportFormatsTest {
    @Test
    void percentilesAreBucketTopsCappedAtMaxAndOrdered() {
        long[] h = new long[LatencyBuckets.COUNT];
        h[LatencyBuckets.index(1000)] = 90;
        h[LatencyBuckets.index(50_000)] = 9;
        h[LatencyBuckets.index(2_000_000)] = 1;
        assertThat(Percentiles.of(h, 0.50, 2_000_000)).isEqualTo(1023);
        assertThat(Percentiles.of(h, 0.90, 2_000_000)).isEqualTo(1023);
        assertThat(Percentiles.of(h, 0.99, 2_000_000)).isEqualTo(LatencyBuckets.upperBound(LatencyBuckets.index(50_000)) - 1);
        assertThat(Percentiles.of(h, 0.999, 2_000_000)).isEqualTo(2_000_000);
        assertThat(Percentiles.of(new long[LatencyBuckets.COUNT], 0.5, 0)).isZero();
    }

    @Test
    void prometheusBoundsAreSecondsInPlainDecimal() {
        assertThat(PrometheusText.seconds(1L << 10)).isEqualTo("0.000001024");
        assertThat(PrometheusText.seconds(1L << 30)).isEqualTo("1.073741824");
    }

    @Test
    void jsonStringsAreEscaped() {
        StringBuilder sb = new StringBuilder();
        SnapshotJson.string(sb, "a\"b\\c\n\u0001\u001f\u007f");
        assertThat(sb).hasToString("\"a\\\"b\\\\c\\n\\u0001\\u001f\u007f\"");
    }

    /** The snapshot's own ISO-8601 rendering is exactly Instant.toString for millisecond instants. */
    @Test
    void instantsAreRenderedExactlyAsInstantToString() {
        long[] fixed = {0, 1, 999, 1000, -1, -86_400_000L, 951_782_400_000L, 951_868_799_999L, 1_709_164_800_000L,
                4_107_542_400_000L, 253_402_300_799_999L, -62_167_219_200_000L, 1_795_984_232_123L};
        for (long millis : fixed) {
            assertThat(SnapshotJson.instant(new StringBuilder(), millis))
                    .hasToString(java.time.Instant.ofEpochMilli(millis).toString());
        }
        java.util.Random random = new java.util.Random(26);
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong() % 253_402_300_800_000L;
            assertThat(SnapshotJson.instant(new StringBuilder(), millis).toString())
                    .isEqualTo(java.time.Instant.ofEpochMilli(millis).toString());
        }
    }
}
