package dev.hotpath.alloc.run;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A workload metric parsed from the command's output: {@code --metric NAME=REGEX}. The regex is searched in every line
 * of stdout and stderr; the value is the named group {@code value} when the regex has one, else group 1, else the
 * whole match. The last matching line wins (workloads usually print a final summary after progress lines).
 * Thousands separators ({@code ,} and {@code _}) are ignored, so {@code ops/s: 12,345.6} parses.
 */
public record MetricPattern(String name, Pattern regex) {
    public static MetricPattern parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--metric expects NAME=REGEX, got '" + spec + "'");
        }
        String name = spec.substring(0, eq).trim();
        if (!name.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("--metric name '" + name + "' must start with a letter and contain only letters, digits, '_', '.', '-'");
        }
        try {
            return new MetricPattern(name, Pattern.compile(spec.substring(eq + 1)));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--metric " + name + ": bad regex: " + e.getDescription());
        }
    }

    /** The value in {@code line}, or NaN when the line does not match or the captured text is not a number. */
    public double extract(String line) {
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
