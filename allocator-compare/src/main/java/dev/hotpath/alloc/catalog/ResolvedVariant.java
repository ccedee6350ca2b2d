package dev.hotpath.alloc.catalog;

import java.nio.file.Path;
import java.util.Map;

/**
 * A variant whose library was found on this machine.
 *
 * @param library the absolute path to preload, or {@code null} for the C library's malloc
 */
public record ResolvedVariant(AllocatorVariant variant, Path library) {
    public String name() {
        return variant.name();
    }

    public Map<String, String> env() {
        return variant.env();
    }
}
