package dev.hotpath.cli.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a run directory, format {@code hotpath-run/1} (FORMATS.md). Fields beyond the fixed ones
 * ({@code stoppedBy}, {@code notes}) are additions readers may ignore.
 */
public final class Manifest {
    public static final String FILE = "manifest.json";

    /** One artifact: {@code path} relative to the run directory, {@code type} an ArtifactType id. */
    public record Entry(String path, String type) {
    }

    private Manifest() {
    }

    public static void write(Path dir, List<String> command, String jdk, long pid, Instant startedAt, Instant endedAt,
                             Integer exitCode, Map<String, String> environment, List<Entry> artifacts,
                             String stoppedBy, List<String> notes) throws IOException {
        write(dir, command, jdk, pid, startedAt, endedAt, exitCode, environment, artifacts, stoppedBy, notes, Map.of());
    }

    /**
     * @param exitCode {@code null} when record attached to a JVM that keeps running
     * @param extra    more top-level fields, after the fixed ones (e.g. {@code attached})
     */
    public static void write(Path dir, List<String> command, String jdk, long pid, Instant startedAt, Instant endedAt,
                             Integer exitCode, Map<String, String> environment, List<Entry> artifacts,
                             String stoppedBy, List<String> notes, Map<String, Object> extra) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "hotpath-run/1");
        m.put("command", command);
        m.put("jdk", jdk);
        m.put("pid", pid);
        m.put("startedAt", startedAt.toString());
        m.put("endedAt", endedAt.toString());
        m.put("exitCode", exitCode);
        m.put("environment", environment);
        List<Map<String, String>> list = new ArrayList<>();
        for (Entry e : artifacts) {
            Map<String, String> a = new LinkedHashMap<>();
            a.put("path", e.path());
            a.put("type", e.type());
            list.add(a);
        }
        m.put("artifacts", list);
        m.put("stoppedBy", stoppedBy);
        m.put("notes", notes);
        m.putAll(extra);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path tmp = dir.resolve(FILE + ".tmp");
        mapper.writeValue(tmp.toFile(), m);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
