package dev.hotpath.analyzer.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * elbencho's machine-readable results: the {@code --csvfile} CSV (one row per phase, appended run after run) or the
 * {@code --jsonfile} JSON (an array of objects with the same names). Column names as elbencho documents them
 * ({@code docs/csv-docs.md}): {@code operation}, {@code block size}, {@code random}, {@code IOPS [last]},
 * {@code MiB/s [last]}, {@code IO lat us [avg]}, and under {@code --rwmixpct} the reads' {@code rwmix read …}
 * columns beside the writes'. "[last]" is the aggregate when the slowest thread finished, the whole phase.
 * Only READ and WRITE phases measure the device (MKDIRS, STAT, RMFILES... are metadata). elbencho reports latency
 * as min/avg/max only, so a job's p50/p99 are 0 and its mean is set.
 */
public final class ElbenchoResultReader {
    /** The first column of elbencho's CSV header. */
    public static final String FIRST_COLUMN = "ISO date";
    static final String IOPS = "IOPS [last]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ElbenchoResultReader() {
    }

    /** True when the text's first line is elbencho's CSV header. */
    public static boolean isCsvHeader(String firstLine) {
        return firstLine.startsWith(FIRST_COLUMN + ",") && firstLine.contains(",operation,") && firstLine.contains(IOPS);
    }

    public static DeviceBaseline read(Path file, Artifact artifact) throws IOException, UnusableInputException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
        List<Map<String, String>> rows = text.startsWith("[") ? jsonRows(file, text) : csvRows(file, text);
        List<DeviceJob> jobs = new ArrayList<>();
        String version = "";
        int rowNo = 0;
        for (Map<String, String> r : rows) {
            rowNo++;
            String op = r.getOrDefault("operation", "").trim().toUpperCase(Locale.ROOT);
            if (!op.equals("READ") && !op.equals("WRITE")) {
                continue;
            }
            version = r.getOrDefault("version", version);
            boolean random = "1".equals(r.getOrDefault("random", "").trim());
            String bs = blockSize(r.getOrDefault("block size", ""));
            String label = r.getOrDefault("label", "").trim();
            String name = (label.isEmpty() ? "" : label + " ") + op.toLowerCase(Locale.ROOT) + " bs " + bs
                    + (random ? " random" : "") + " (row " + rowNo + ")";
            double iops = num(r, IOPS);
            long bw = Math.round(num(r, "MiB/s [last]") * 1024 * 1024);
            long mean = Math.round(num(r, "IO lat us [avg]") * 1000);
            double mixIops = num(r, "rwmix read " + IOPS);
            DeviceJob j;
            if (op.equals("READ")) {
                j = new DeviceJob(name, random ? "randread" : "read", bs, iops, bw, 0, 0, 0, 0, 0, 0, mean, 0);
            } else if (mixIops > 0) {
                // --rwmixpct: the row's main columns are the writes, "rwmix read …" the reads done beside them
                j = new DeviceJob(name, random ? "randrw" : "rw", bs, mixIops,
                        Math.round(num(r, "rwmix read MiB/s [last]") * 1024 * 1024), 0, 0, iops, bw, 0, 0,
                        Math.round(num(r, "rwmix read IO lat us [avg]") * 1000), mean);
            } else {
                j = new DeviceJob(name, random ? "randwrite" : "write", bs, 0, 0, 0, 0, iops, bw, 0, 0, 0, mean);
            }
            if (j.readIops() > 0 || j.writeIops() > 0) {
                jobs.add(j);
            }
        }
        if (jobs.isEmpty()) {
            throw new UnusableInputException(file, "elbencho results without a READ or WRITE phase that measured IOPS");
        }
        return new DeviceBaseline(artifact, version.isBlank() ? "elbencho" : "elbencho " + version.trim(), jobs);
    }

    private static List<Map<String, String>> csvRows(Path file, String text) throws UnusableInputException {
        List<List<String>> records = Csv.parse(text);
        if (records.isEmpty() || !isCsvHeader(String.join(",", records.get(0)))) {
            throw new UnusableInputException(file, "not an elbencho CSV result (no \"" + FIRST_COLUMN + ",…,operation,…,"
                    + IOPS + "\" header)");
        }
        List<String> header = records.get(0);
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> rec : records.subList(1, records.size())) {
            if (rec.size() == 1 && rec.get(0).isBlank()) {
                continue;
            }
            if (rec.size() >= 1 && rec.get(0).equals(FIRST_COLUMN)) {
                continue; // elbencho appends; a second run into a new file may repeat the header
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < rec.size(); i++) {
                m.put(header.get(i), rec.get(i));
            }
            rows.add(m);
        }
        return rows;
    }

    private static List<Map<String, String>> jsonRows(Path file, String text) throws UnusableInputException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UnusableInputException(file, "not valid JSON: " + e.getOriginalMessage());
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode o : root) {
            if (!o.isObject()) {
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
            rows.add(m);
        }
        return rows;
    }

    private static double num(Map<String, String> r, String column) {
        String v = r.getOrDefault(column, "").trim();
        if (v.isEmpty()) {
            return 0;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** 4096 → "4k", 1048576 → "1m", fio's way of writing block sizes. */
    static String blockSize(String bytes) {
        long b;
        try {
            b = Long.parseLong(bytes.trim());
        } catch (NumberFormatException e) {
            return bytes.trim();
        }
        if (b > 0 && b % (1024 * 1024) == 0) {
            return b / (1024 * 1024) + "m";
        }
        return b > 0 && b % 1024 == 0 ? b / 1024 + "k" : Long.toString(b);
    }
}
