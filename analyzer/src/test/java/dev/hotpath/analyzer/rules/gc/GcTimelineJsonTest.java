package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored GC summary carries each pause (time, duration, collector/cause series) and the heap after each GC. */
class GcTimelineJsonTest {
    private static final Artifact LOG = new Artifact(Path.of("gc.log"), ArtifactType.GCLOG, 1, null, Map.of());

    @Test
    void everyPauseIsStoredInTimeOrderWithItsSeries() {
        GcSummaryBuilder b = new GcSummaryBuilder().gcName("G1");
        b.collection(3000, "G1New", "G1 Evacuation Pause", 2_000_000);
        b.collection(1000, "G1New", "G1 Evacuation Pause", 5_000_000);
        b.collection(2000, "G1Full", "System.gc()", 90_000_000);
        b.heapAfterGc(1000, 10_000_000);
        b.heapAfterGc(2000, 4_000_000);
        b.heapAfterGc(3000, 6_000_000);
        Map<String, Object> json = json(b.build(LOG));
        // pauses are ordered by total time: G1Full/System.gc() (90 ms) is series 0, the young pauses (7 ms) series 1
        assertThat(((Map<?, ?>) ((List<?>) json.get("pauses")).get(0)).get("collector")).isEqualTo("G1Full");
        assertThat(json.get("timeline")).isEqualTo(Map.of("collections", 3,
                "startMs", List.of(1000L, 2000L, 3000L),
                "pauseNanos", List.of(5_000_000L, 90_000_000L, 2_000_000L),
                "series", List.of(1L, 0L, 1L)));
        assertThat(json.get("heapAfterGc")).isEqualTo(Map.of("samples", 3,
                "timeMs", List.of(1000L, 2000L, 3000L), "usedBytes", List.of(10_000_000L, 4_000_000L, 6_000_000L)));
    }

    @Test
    void aLongTimelineIsDownsampledKeepingEachStretchsLongestPause() {
        GcSummaryBuilder b = new GcSummaryBuilder();
        int n = 25_000;
        for (int i = 0; i < n; i++) {
            b.collection(i, "G1New", "G1 Evacuation Pause", i == 12_345 ? 999_000_000 : 1_000_000 + i % 7);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) json(b.build(LOG)).get("timeline");
        assertThat(t.get("collections")).isEqualTo(n);
        List<Object> pauses = (List<Object>) t.get("pauseNanos");
        assertThat(pauses).hasSize(GcSummary.MAX_POINTS).contains(999_000_000L);
        assertThat((List<Object>) t.get("startMs")).hasSize(GcSummary.MAX_POINTS).contains(12_345L);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(GcSummary s) {
        return (Map<String, Object>) s.toJson();
    }
}
