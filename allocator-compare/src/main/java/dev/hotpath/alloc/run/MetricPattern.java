package dev.hotpath.alloc.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A workload metric parsed from the command's output: {@code --metric NAME=REGEX} or {@code --metric NAME=json:PATH}.
 *
 * <p>A regex is searched in every line of stdout and stderr; the value is the named group {@code value} when the regex
 * has one, else group 1, else the whole match. The last matching line wins (workloads usually print a final summary
 * after progress lines). Thousands separators ({@code ,} and {@code _}) are ignored, so {@code ops/s: 12,345.6} parses.
 *
 * <p>A JSON path ({@code json:summary.opsPerSec}, array elements as {@code items.0.p99}) is looked up in the command's
 * stdout as a whole JSON document (e.g. loadgen's elbencho-like summary), else in the last line that parses as a JSON
 * object and has the path.
 */
public record MetricPattern(String name, Pattern regex, List<String> jsonPath) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public MetricPattern {
        jsonPath = jsonPath == null ? null : List.copyOf(jsonPath);
    }

    public static MetricPattern parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--metric expects NAME=REGEX or NAME=json:PATH, got '" + spec + "'");
        }
        String name = spec.substring(0, eq).trim();
        if (!name.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("--metric name '" + name + "' must start with a letter and contain only letters, digits, '_', '.', '-'");
        }
        String rhs = spec.substring(eq + 1);
        if (rhs.startsWith("json:")) {
            String path = rhs.substring(5).trim();
            if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                throw new IllegalArgumentException("--metric " + name + ": bad JSON path '" + path + "' (use e.g. json:summary.opsPerSec)");
            }
            return new MetricPattern(name, null, List.of(path.split("\\.")));
        }
        try {
            return new MetricPattern(name, Pattern.compile(rhs), null);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--metric " + name + ": bad regex: " + e.getDescription());
        }
    }

    public boolean isJson() {
        return jsonPath != null;
    }

    /** What the metric looks for, for messages. */
    public String describe() {
        return isJson() ? "json:" + String.join(".", jsonPath) : regex.pattern();
    }

    /** The value in {@code line}, or NaN when the line does not match or the captured text is not a number. */
    public double extract(String line) {
        if (regex == null) {
            return Double.NaN;
        }
        Matcher m = regex.matcher(line);
        if (!m.find()) {
            return Double.NaN;
        }
        String text;
        if (regex.pattern().contains("(?<value>")) {
            text = m.group("value");
        } else if (m.groupCount() >= 1) {
            text = m.group(1);
        } else {
            text = m.group();
        }
        return number(text);
    }

    /** The value at the JSON path in {@code stdout} (whole document first, then single lines from the last), or NaN. */
    public double extractJson(String stdout) {
        if (jsonPath == null) {
            return Double.NaN;
        }
        double whole = at(tryParse(stdout.trim()));
        if (!Double.isNaN(whole)) {
            return whole;
        }
        String[] lines = stdout.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].trim();
            if (l.startsWith("{")) {
                double v = at(tryParse(l));
                if (!Double.isNaN(v)) {
                    return v;
                }
            }
        }
        return Double.NaN;
    }

    private double at(JsonNode node) {
        for (String key : jsonPath) {
            if (node == null) {
                return Double.NaN;
            }
            node = node.isArray() && key.chars().allMatch(Character::isDigit) ? node.get(Integer.parseInt(key)) : node.get(key);
        }
        if (node == null) {
            return Double.NaN;
        }
        return node.isNumber() ? node.doubleValue() : node.isTextual() ? number(node.asText()) : Double.NaN;
    }

    private static JsonNode tryParse(String text) {
        if (text.isEmpty() || text.charAt(0) != '{' && text.charAt(0) != '[') {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null; // not (only) JSON: the line-by-line pass may still find it
        }
    }

    private static double number(String text) {
        if (text == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text.replace(",", "").replace("_", "").trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
