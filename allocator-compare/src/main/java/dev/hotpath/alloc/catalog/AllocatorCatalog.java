package dev.hotpath.alloc.catalog;

import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The allocator variants hotpath knows: six built-ins plus custom ones from a properties file.
 *
 * <h2>Custom variant file ({@code ~/.hotpath/allocators.properties} or {@code --config FILE})</h2>
 * <pre>
 * # NAME.library      soname or absolute path of the malloc to LD_PRELOAD; several comma-separated = first found wins;
 * #                   omit it to keep the C library's malloc (then only the environment differs)
 * # NAME.env.VAR      an environment variable set for the command
 * # NAME.package      Debian package named when the library is missing (optional)
 * # NAME.description  free text shown by `hotpath allocators list` (optional)
 * jemalloc-nodecay.library = libjemalloc.so.2
 * jemalloc-nodecay.env.MALLOC_CONF = dirty_decay_ms:0,muzzy_decay_ms:0
 * glibc-trim.env.MALLOC_TRIM_THRESHOLD_ = 131072
 * </pre>
 * Names are letters, digits, {@code _} and {@code -}. A custom variant with a built-in's name replaces the built-in.
 */
public final class AllocatorCatalog {
    public static final String JEMALLOC_TUNED_CONF = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final Map<String, AllocatorVariant> variants;
    private final LibraryLocator locator;

    private AllocatorCatalog(Map<String, AllocatorVariant> variants, LibraryLocator locator) {
        this.variants = variants;
        this.locator = locator;
    }

    public static List<AllocatorVariant> builtIns() {
        return List.of(
                new AllocatorVariant("glibc", List.of(), Map.of(), null,
                        "the C library's malloc (ptmalloc2), as the program would run without hotpath", "built-in"),
                new AllocatorVariant("glibc-arena2", List.of(), Map.of("MALLOC_ARENA_MAX", "2"), null,
                        "glibc malloc limited to 2 arenas (fewer per-thread heaps, less retained memory)", "built-in"),
                new AllocatorVariant("jemalloc", List.of("libjemalloc.so.2", "libjemalloc.so"), Map.of(), "libjemalloc2",
                        "jemalloc with its defaults", "built-in"),
                new AllocatorVariant("jemalloc-tuned", List.of("libjemalloc.so.2", "libjemalloc.so"),
                        Map.of("MALLOC_CONF", JEMALLOC_TUNED_CONF), "libjemalloc2",
                        "jemalloc returning freed pages sooner (background purging thread, 1 s dirty decay)", "built-in"),
                new AllocatorVariant("tcmalloc", List.of("libtcmalloc_minimal.so.4", "libtcmalloc.so.4"), Map.of(),
                        "libtcmalloc-minimal4", "gperftools' thread-caching malloc", "built-in"),
                new AllocatorVariant("mimalloc", List.of("libmimalloc.so.2", "libmimalloc.so"), Map.of(), "libmimalloc2.0",
                        "Microsoft's mimalloc", "built-in"));
    }

    /** Built-ins plus the variants of {@code configFile} (skipped silently when the default file does not exist). */
    public static AllocatorCatalog load(Path configFile, boolean required, LibraryLocator locator) throws UnusableInputException {
        Map<String, AllocatorVariant> all = new LinkedHashMap<>();
        for (AllocatorVariant v : builtIns()) {
            all.put(v.name(), v);
        }
        if (configFile != null) {
            if (Files.exists(configFile)) {
                for (AllocatorVariant v : parseConfig(configFile)) {
                    all.put(v.name(), v);
                }
            } else if (required) {
                throw new UnusableInputException(configFile, "allocator config file does not exist");
            }
        }
        return new AllocatorCatalog(all, locator);
    }

    public static Path defaultConfigFile() {
        return Path.of(System.getProperty("user.home"), ".hotpath", "allocators.properties");
    }

    static List<AllocatorVariant> parseConfig(Path file) throws UnusableInputException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new UnusableInputException(file, "cannot read allocator config: " + e.getMessage(), e);
        }
        Map<String, String[]> libs = new LinkedHashMap<>();
        Map<String, Map<String, String>> envs = new LinkedHashMap<>();
        Map<String, String> packages = new LinkedHashMap<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        TreeSet<String> names = new TreeSet<>();
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            String value = props.getProperty(key).trim();
            int dot = key.indexOf('.');
            String name = dot < 0 ? key : key.substring(0, dot);
            String attr = dot < 0 ? "" : key.substring(dot + 1);
            if (!NAME.matcher(name).matches()) {
                throw new UnusableInputException(file, "variant name '" + name + "' in key '" + key
                        + "' may only contain letters, digits, '_' and '-'");
            }
            names.add(name);
            if (attr.equals("library")) {
                libs.put(name, Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new));
            } else if (attr.startsWith("env.") && attr.length() > 4) {
                envs.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(attr.substring(4), value);
            } else if (attr.equals("package")) {
                packages.put(name, value);
            } else if (attr.equals("description")) {
                descriptions.put(name, value);
            } else {
                throw new UnusableInputException(file, "unknown key '" + key
                        + "' (expected NAME.library, NAME.env.VAR, NAME.package or NAME.description)");
            }
        }
        List<AllocatorVariant> out = new ArrayList<>();
        for (String name : names) {
            String[] l = libs.getOrDefault(name, new String[0]);
            out.add(new AllocatorVariant(name, List.of(l), envs.getOrDefault(name, Map.of()), packages.get(name),
                    descriptions.get(name), file.toString()));
        }
        return out;
    }

    public List<AllocatorVariant> variants() {
        return List.copyOf(variants.values());
    }

    public Optional<AllocatorVariant> get(String name) {
        return Optional.ofNullable(variants.get(name));
    }

    /** The installed library of a variant, or empty when none of its candidates exists here. */
    public Optional<Path> locate(AllocatorVariant v) {
        for (String lib : v.libraries()) {
            Optional<Path> p = locator.find(lib);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /**
     * Resolves {@code --variants} names.
     *
     * @throws IllegalArgumentException for a name the catalog does not know (a usage error)
     * @throws UnusableInputException   for a known variant whose library is not installed; the message names the
     *                                  library, where it was looked for and the Debian package to install
     */
    public List<ResolvedVariant> resolve(List<String> names) throws UnusableInputException {
        List<ResolvedVariant> out = new ArrayList<>();
        for (String name : names) {
            AllocatorVariant v = variants.get(name);
            if (v == null) {
                throw new IllegalArgumentException("unknown allocator variant '" + name + "' (known: "
                        + String.join(", ", variants.keySet()) + ")");
            }
            if (v.usesLibcMalloc()) {
                out.add(new ResolvedVariant(v, null));
                continue;
            }
            Optional<Path> lib = locate(v);
            if (lib.isEmpty()) {
                throw new UnusableInputException(Path.of(v.libraries().get(0)), notInstalledMessage(v));
            }
            out.add(new ResolvedVariant(v, lib.get()));
        }
        return out;
    }

    String notInstalledMessage(AllocatorVariant v) {
        String where = v.libraries().get(0).indexOf('/') >= 0 ? "no such file"
                : "not in the loader cache (ldconfig -p) nor in "
                + locator.directories().stream().map(Path::toString).collect(Collectors.joining(", "));
        String fix = v.debianPackage() != null ? "; install it with: apt-get install " + v.debianPackage()
                : "; fix '" + v.name() + ".library' in " + v.origin();
        return "allocator variant '" + v.name() + "' is not installed (" + where + ")" + fix;
    }
}
