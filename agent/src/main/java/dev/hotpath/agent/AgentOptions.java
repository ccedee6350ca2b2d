package dev.hotpath.agent;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * The agent's options, from {@code -javaagent:hotpath-agent.jar=k=v,k=v} (DESIGN.md, "Agent options"):
 * {@code snapshot=PATH}, {@code interval=10s}, {@code port=N} (0 = off), {@code jfr=true|false},
 * {@code jfrThreshold=1ms}, {@code maxSites=N}, {@code include=}/{@code exclude=} package prefixes separated by
 * {@code ;}, {@code sample=N} (mean gap between re-validating stack walks), {@code timing=N} (time one
 * fast read/write in N per stream; default 32, 1 with {@code jfr=true}), {@code tags=true|false} (call-site tags
 * at transform time; false: every site by a stack walk). Durations take {@code ns}, {@code us},
 * {@code ms}, {@code s} or {@code m}.
 */
public final class AgentOptions {
    Path snapshot;
    long intervalMillis = 10_000;
    int port;
    boolean jfr;
    long jfrThresholdNanos = 1_000_000;
    int maxSites = 4096;
    /** Named (site, target) pairs one call site may hold; 0: not given (an eighth of maxSites, at least 16). */
    int maxTargetsPerSite;
    String[] include = new String[0];
    String[] exclude = new String[0];
    int sampleMean = 256;
    /** 0: not given (8, or 1 when jfr=true). */
    int timing;
    /** Tag the application's I/O calls with their site at transform time (false: every site found by a walk). */
    boolean tags = true;

    /** @throws IllegalArgumentException naming the bad option */
    public static AgentOptions parse(String args) {
        AgentOptions o = new AgentOptions();
        if (args == null || args.isBlank()) {
            return o;
        }
        for (String part : args.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("option '" + part + "' is not key=value");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            switch (key) {
                case "snapshot": o.snapshot = Paths.get(value).toAbsolutePath(); break;
                case "interval": o.intervalMillis = Math.max(1, parseDurationNanos(key, value) / 1_000_000); break;
                case "port": o.port = parseInt(key, value, 0, 65535); break;
                case "jfr": o.jfr = parseBoolean(key, value); break;
                case "jfrThreshold": o.jfrThresholdNanos = parseDurationNanos(key, value); break;
                case "maxSites": o.maxSites = parseInt(key, value, 1, 1_000_000); break;
                case "maxTargetsPerSite": o.maxTargetsPerSite = parseInt(key, value, 1, 1_000_000); break;
                case "include": o.include = prefixes(value); break;
                case "exclude": o.exclude = prefixes(value); break;
                case "sample": o.sampleMean = parseInt(key, value, 1, 1 << 20); break;
                case "timing": o.timing = parseInt(key, value, 1, 1 << 20); break;
                case "tags": o.tags = parseBoolean(key, value); break;
                default: throw new IllegalArgumentException("unknown option '" + key + "'");
            }
        }
        return o;
    }

    public Path snapshot() {
        return snapshot;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public int port() {
        return port;
    }

    public boolean jfr() {
        return jfr;
    }

    /** One fast read/write in this many is timed; JFR events need every operation timed. */
    public int timingPeriod() {
        return timing > 0 ? timing : jfr ? 1 : 32;
    }

    public long jfrThresholdNanos() {
        return jfrThresholdNanos;
    }

    private static String[] prefixes(String value) {
        return value.isEmpty() ? new String[0] : value.split(";");
    }

    private static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + "=" + value + ": expected true or false");
    }

    private static int parseInt(String key, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v < min || v > max) {
                throw new IllegalArgumentException(key + "=" + value + ": expected " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": not a number");
        }
    }

    static long parseDurationNanos(String key, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        long unit;
        String digits;
        if (v.endsWith("ns")) { unit = 1; digits = v.substring(0, v.length() - 2); }
        else if (v.endsWith("us")) { unit = 1_000; digits = v.substring(0, v.length() - 2); }
        else if (v.endsWith("ms")) { unit = 1_000_000; digits = v.substring(0, v.length() - 2); }
        else if (v.endsWith("s")) { unit = 1_000_000_000L; digits = v.substring(0, v.length() - 1); }
        else if (v.endsWith("m")) { unit = 60_000_000_000L; digits = v.substring(0, v.length() - 1); }
        else { throw new IllegalArgumentException(key + "=" + value + ": expected a duration such as 10s or 500ms"); }
        try {
            long n = Long.parseLong(digits.trim());
            if (n < 0) {
                throw new IllegalArgumentException(key + "=" + value + ": negative");
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": expected a duration such as 10s or 500ms");
        }
    }
}
