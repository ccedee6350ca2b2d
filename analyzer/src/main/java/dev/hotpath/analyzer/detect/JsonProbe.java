package dev.hotpath.analyzer.detect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises JSON artifacts by their top-level fields, streaming (children are skipped, so a large file costs one
 * pass without building a tree): agent snapshots ({@code callSites} array), fio output ({@code "fio version"}),
 * allocator comparisons ({@code variants} array). fio may print warnings before its JSON; {@code jsonStart} skips them.
 */
final class JsonProbe {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonProbe() {
    }

    static Detection detect(Path file, long jsonStart) throws IOException, UnusableInputException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(jsonStart);
            try (JsonParser p = FACTORY.createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                boolean variants = false;
                boolean comparisons = false;
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("callSites".equals(name) && value == JsonToken.START_ARRAY) {
                        return Detection.of(ArtifactType.AGENT_SNAPSHOT);
                    }
                    if ("fio version".equals(name)) {
                        return Detection.of(ArtifactType.FIO);
                    }
                    if ("IOPS [last]".equals(name) && jsonStart > 0) {
                        // the first row of elbencho's --jsonfile array, the '[' on a line before it
                        return Detection.of(ArtifactType.FIO, java.util.Map.of("tool", "elbencho"));
                    }
                    variants |= "variants".equals(name) && value == JsonToken.START_ARRAY;
                    comparisons |= "comparisons".equals(name) && value == JsonToken.START_ARRAY;
                    if (variants && comparisons) {
                        return Detection.of(ArtifactType.ALLOCATOR_COMPARISON);
                    }
                    p.skipChildren();
                }
                if (t == null) {
                    throw new UnusableInputException(file, "truncated JSON: it ends inside the top-level object");
                }
                throw new UnusableInputException(file, "JSON, but not a hotpath artifact (no top-level callSites,"
                        + " \"fio version\" or variants/comparisons)");
            }
        } catch (StreamConstraintsException e) {
            // A name, number or nesting past Jackson's limits: hostile or corrupt content, not an I/O failure.
            throw new UnusableInputException(file, "corrupt JSON: " + e.getOriginalMessage().replaceAll("\\s+", " "));
        } catch (JsonParseException e) {
            if (e instanceof JsonEOFException || e.getOriginalMessage().startsWith("Unexpected end-of-input")) {
                throw new UnusableInputException(file, "truncated JSON at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr());
            }
            throw new UnusableInputException(file, "corrupt JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }
}
