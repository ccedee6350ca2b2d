package dev.hotpath.cli.record;

import dev.hotpath.nativemem.proc.MemSample;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLineTest {
    @Test
    void lineShowsElapsedMinutesAndSecondsRssInMbAndTheArtifactCount() {
        MemSample m = new MemSample(0, 123_456, -1, 100_000, 23_456, 0, 20);
        assertThat(ProgressLine.format(65_400, m, 7)).isEqualTo("[hotpath record] 01:05 elapsed  RSS 120.6 MB  artifacts 7");
        assertThat(ProgressLine.format(999, null, 0)).isEqualTo("[hotpath record] 00:00 elapsed  RSS ?  artifacts 0");
    }
}
