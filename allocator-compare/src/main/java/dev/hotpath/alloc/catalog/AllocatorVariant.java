package dev.hotpath.alloc.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One allocator configuration to run a command under: a library to {@code LD_PRELOAD} (none for the C library's own
 * malloc) plus environment variables.
 *
 * @param name          what {@code --variants} calls it ({@code glibc}, {@code jemalloc-tuned}, a custom name)
 * @param libraries     sonames or absolute paths, in order of preference; empty for glibc's malloc
 * @param env           environment added to the command (e.g. {@code MALLOC_CONF}); insertion order kept
 * @param debianPackage the package that provides {@code libraries}, named in the "not installed" message
 * @param origin        {@code built-in} or the config file it came from
 */
public record AllocatorVariant(String name, java.util.List<String> libraries, Map<String, String> env,
                               String debianPackage, String description, String origin) {
    public AllocatorVariant {
        Objects.requireNonNull(name, "name");
        libraries = libraries == null ? java.util.List.of() : java.util.List.copyOf(libraries);
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        description = description == null ? "" : description;
        origin = origin == null ? "built-in" : origin;
    }

    /** True for variants that keep the C library's malloc (nothing to preload). */
    public boolean usesLibcMalloc() {
        return libraries.isEmpty();
    }
}
