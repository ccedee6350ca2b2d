package dev.hotpath.analyzer.detect;

import dev.hotpath.analyzer.model.ArtifactType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** elbencho's results files (CSV and JSON, as its docs/csv-docs.md names the columns) are device baselines, as fio's JSON. */
class ElbenchoDetectionTest {
    @TempDir
    Path dir;

    private final ArtifactDetector detector = new ArtifactDetector();

    @Test
    void csvAndBothJsonLayoutsAreDetectedAsDeviceResults() throws Exception {
        Path csv = Path.of(getClass().getResource("/io/elbencho-results.csv").toURI());
        Path pretty = Files.writeString(dir.resolve("pretty.json"),
                "[\n  {\n    \"ISO date\": \"2026-11-25T09:52:00\",\n    \"operation\": \"READ\",\n    \"IOPS [last]\": \"20000\"\n  }\n]\n");
        Path oneLine = Files.writeString(dir.resolve("one-line.json"),
                "[{\"ISO date\":\"2026-11-25T09:52:00\",\"operation\":\"READ\",\"IOPS [last]\":\"20000\"}]\n");
        for (Path p : new Path[]{csv, pretty, oneLine}) {
            Detection d = detector.detect(p);
            assertThat(d.type()).as(p.toString()).isEqualTo(ArtifactType.FIO);
            assertThat(d.attributes()).as(p.toString()).isEqualTo(Map.of("tool", "elbencho"));
        }
    }
}
