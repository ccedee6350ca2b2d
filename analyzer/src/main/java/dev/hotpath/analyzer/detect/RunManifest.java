package dev.hotpath.analyzer.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a run directory written by {@code hotpath record} (format {@code hotpath-run/1},
 * see FORMATS.md): the listed artifacts with their types, and the raw manifest for the run's summaries.
 *
 * @param entries  listed artifacts, paths resolved against the directory; {@code type} is {@code null} when the
 *                 manifest names none or one this build does not know (the file is then detected by content)
 * @param manifest the whole manifest as JSON-compatible values
 */
public record RunManifest(Path dir, List<Entry> entries, Map<String, Object> manifest) {
    public static final String FILE_NAME = "manifest.json";
    public static final String FORMAT = "hotpath-run/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Entry(Path path, ArtifactType type) {
    }

    public static boolean isRunDir(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    @SuppressWarnings("unchecked")
    public static RunManifest read(Path dir) throws IOException, UnusableInputException {
        Path file = dir.resolve(FILE_NAME);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new UnusableInputException(file, "corrupt run manifest: " + e.getOriginalMessage());
        } catch (java.io.CharConversionException e) {
            // bytes that are no text in the encoding Jackson detected (corpus runManifest/crash-not-text)
            throw new UnusableInputException(file, "corrupt run manifest (not JSON text): " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new UnusableInputException(file, "run manifest is not a JSON object");
        }
        String format = root.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new UnusableInputException(file, "unknown run manifest format '" + format + "' (expected " + FORMAT + ")");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode a : root.path("artifacts")) {
            String rel = a.path("path").asText("");
            if (rel.isEmpty()) {
                continue;
            }
            ArtifactType type = null;
            String id = a.path("type").asText("");
            for (ArtifactType t : ArtifactType.values()) {
                if (t.id().equals(id)) {
                    type = t;
                }
            }
            entries.add(new Entry(dir.resolve(rel).normalize(), type));
        }
        return new RunManifest(dir, entries, JSON.convertValue(root, Map.class));
    }
}
