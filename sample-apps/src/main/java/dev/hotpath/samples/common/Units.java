package dev.hotpath.samples.common;

import java.util.Locale;

/** Parses sizes ({@code 4k}, {@code 1m}, {@code 512}) and durations ({@code 90s}, {@code 500ms}, {@code 2m}). */
public final class Units {
    private Units() {
    }

    public static long parseBytes(String what, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        if (!t.isEmpty()) {
            char c = t.charAt(t.length() - 1);
            if (c == 'k' || c == 'm' || c == 'g') {
                mult = c == 'k' ? 1024L : c == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            return Long.parseLong(t) * mult;
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--" + what + " expects a size like 64k or 1m, got '" + text + "'");
        }
    }

    public static long parseMillis(String what, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long mult = 1000;
        if (t.endsWith("ms")) {
            mult = 1;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            mult = 60_000;
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.round(Double.parseDouble(t) * mult);
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--" + what + " expects a duration like 90s or 500ms, got '" + text + "'");
        }
    }
}
