package dev.hotpath.analyzer.detect;

import dev.hotpath.analyzer.model.ArtifactType;

import java.util.List;
import java.util.Map;

/**
 * What content detection found in one file.
 *
 * @param type       the artifact type
 * @param attributes facts seen while detecting (JFR version, compression, NMT mode...), JSON-compatible
 * @param notes      lines about input that is usable only in part (e.g. a JFR chunk declared longer than the file)
 */
public record Detection(ArtifactType type, Map<String, Object> attributes, List<String> notes) {
    public Detection {
        attributes = Map.copyOf(attributes);
        notes = List.copyOf(notes);
    }

    static Detection of(ArtifactType type) {
        return new Detection(type, Map.of(), List.of());
    }

    static Detection of(ArtifactType type, Map<String, Object> attributes) {
        return new Detection(type, attributes, List.of());
    }
}
