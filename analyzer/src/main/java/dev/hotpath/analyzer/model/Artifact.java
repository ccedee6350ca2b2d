package dev.hotpath.analyzer.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One input file of a run, as detected and fingerprinted.
 *
 * @param path       the file as the user named it (absolute)
 * @param type       detected by content
 * @param sizeBytes  file size in bytes
 * @param sha256     lower-case hex digest of the content, or {@code null} when not computed
 * @param attributes type-specific facts for the JSON {@code artifacts[]} entry (JDK version, chunk count, "truncatedAt"...);
 *                   values are JSON-compatible (String, Number, Boolean, List, Map)
 */
public record Artifact(Path path, ArtifactType type, long sizeBytes, String sha256, Map<String, Object> attributes) {
    /** Attribute holding the name to show when the file name alone is ambiguous within a run. */
    public static final String NAME_ATTRIBUTE = "name";

    public Artifact {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /**
     * The name findings use in {@code sources}: the file name without its directory, or, when the run holds several
     * files of that name, the path suffix the pipeline chose to tell them apart ({@link #NAME_ATTRIBUTE}).
     */
    public String sourceName() {
        Object given = attributes.get(NAME_ATTRIBUTE);
        if (given instanceof String s && !s.isBlank()) {
            return s;
        }
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }
}
