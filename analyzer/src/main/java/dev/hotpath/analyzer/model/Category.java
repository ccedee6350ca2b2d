package dev.hotpath.analyzer.model;

import java.util.Locale;

/** The area a finding belongs to; the ids are part of the findings JSON contract (DESIGN.md). */
public enum Category {
    GC, CPU, ALLOCATION, LOCKS, IO, HEAP, NATIVE, ALLOCATOR, THREADS, CONFIG;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Category parse(String text) {
        for (Category c : values()) {
            if (c.id().equalsIgnoreCase(text.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category '" + text + "'");
    }
}
