package dev.hotpath.analyzer.model;

import java.util.Locale;

/** How bad a finding is. Ordered: {@code INFO < WARNING < CRITICAL}; JSON and the CLI use the lower-case id. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Parses {@code info|warning|critical} (case-insensitive); throws {@link IllegalArgumentException} otherwise. */
    public static Severity parse(String text) {
        for (Severity s : values()) {
            if (s.id().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text + "' (expected info, warning or critical)");
    }
}
