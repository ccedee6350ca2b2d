package dev.hotpath.analyzer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotpath.analyzer.detect.ArtifactDetector;
import dev.hotpath.analyzer.detect.Detection;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzz target for {@link ArtifactDetector}. Under {@code mvn verify} Jazzer runs it in regression mode
 * over the committed inputs in {@code src/test/resources/dev/hotpath/analyzer/fuzz/DetectorFuzzTestInputs/detect/}
 * (seeds and any crash found so far); with {@code JAZZER_FUZZ=1} it fuzzes, and new crashes land in that directory.
 */
class DetectorFuzzTest {
    private static final ArtifactDetector DETECTOR = new ArtifactDetector();

    @FuzzTest(maxDuration = "60s")
    void detect(byte[] input) throws IOException {
        Path file = Files.createTempFile("hotpath-fuzz", ".bin");
        try {
            Files.write(file, input);
            Detection d = DETECTOR.detect(file);
            assertThat(d.type()).isNotNull();
        } catch (UnusableInputException e) {
            // The documented outcome for unusable input: one line naming the file.
            assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n", "\r");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
