package dev.hotpath.analyzer.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads fio's {@code --output-format=json} result: {@code jobs[]} with {@code jobname}, {@code job options.rw/bs}
 * (falling back to {@code global options}), and per direction {@code read}/{@code write} objects holding
 * {@code iops}, {@code bw_bytes} and {@code clat_ns.percentile} ("50.000000", "99.000000"). The result is small, so
 * it is read as a tree. fio may print warnings before the JSON; everything before the first '{' is skipped.
 */
public final class FioResultReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FioResultReader() {
    }

    public static DeviceBaseline read(Path file, Artifact artifact) throws IOException, UnusableInputException {
        String text;
        try {
            text = java.nio.file.Files.readString(file);
        } catch (java.nio.charset.CharacterCodingException e) {
            // fio writes UTF-8 (corpus fio/crash-not-utf8)
            throw new UnusableInputException(file, "not a fio JSON result (not UTF-8 text)");
        }
        int brace = text.indexOf('{');
        if (brace < 0) {
            throw new UnusableInputException(file, "not a fio JSON result (no JSON object)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text.substring(brace));
        } catch (JsonProcessingException e) {
            throw new UnusableInputException(file, "not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            throw new UnusableInputException(file, "not a fio JSON result (no \"jobs\" array)");
        }
        JsonNode global = root.path("global options");
        List<DeviceJob> out = new ArrayList<>();
        for (JsonNode j : jobs) {
            JsonNode opts = j.path("job options");
            String rw = text(opts, "rw", text(global, "rw", "read"));
            String bs = text(opts, "bs", text(global, "bs", "4k"));
            JsonNode r = j.path("read");
            JsonNode w = j.path("write");
            out.add(new DeviceJob(j.path("jobname").asText("job" + out.size()), rw, bs,
                    r.path("iops").asDouble(0), r.path("bw_bytes").asLong(0), pct(r, "50.000000"), pct(r, "99.000000"),
                    w.path("iops").asDouble(0), w.path("bw_bytes").asLong(0), pct(w, "50.000000"),
                    pct(w, "99.000000"), Math.round(r.path("clat_ns").path("mean").asDouble(0)),
                    Math.round(w.path("clat_ns").path("mean").asDouble(0))));
        }
        return new DeviceBaseline(artifact, "fio " + root.path("fio version").asText(""), out);
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? fallback : v.asText();
    }

    private static long pct(JsonNode direction, String key) {
        return direction.path("clat_ns").path("percentile").path(key).asLong(0);
    }
}
