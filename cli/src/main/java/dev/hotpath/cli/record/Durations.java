package dev.hotpath.cli.record;

import java.time.Duration;
import java.util.Locale;

/** Parses the CLI's durations: {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h}, or a plain number of seconds. */
public final class Durations {
    private Durations() {
    }

    /** @throws IllegalArgumentException naming the text when it is not a positive duration */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            } else if (t.endsWith("h")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000));
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration '" + text + "' must be positive");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 15s, 2m, 1h)");
        }
    }
}
