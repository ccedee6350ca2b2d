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
        SnapshotJson.string(sb, "a\"b\\c\n\u0001");
        assertThat(sb).hasToString("\"a\\\"b\\\\c\\n\\u0001\"");
    }
}
