package dev.hotpath.alloc.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds shared libraries the way the dynamic loader would, without hard-coding one directory: first the loader cache
 * ({@code ldconfig -p}), then the multiarch and classic library directories. Debian installs into
 * {@code /usr/lib/<triplet>} (with {@code /lib} a symlink to it on merged-/usr systems); other distributions use
 * {@code /usr/lib64}; hand-built allocators land in {@code /usr/local/lib}.
 *
 * <p>A name containing a slash is a path and is only checked for existence.
 */
public final class LibraryLocator {
    private final Map<String, Path> cache;
    private final List<Path> directories;

    public LibraryLocator(Map<String, Path> ldconfigCache, List<Path> directories) {
        this.cache = Map.copyOf(ldconfigCache);
        this.directories = List.copyOf(directories);
    }

    /** The locator for this machine: runs {@code ldconfig -p} once (an absent ldconfig just leaves the cache empty). */
    public static LibraryLocator system() {
        return new LibraryLocator(readLdconfigCache(), defaultDirectories());
    }

    public Optional<Path> find(String nameOrPath) {
        if (nameOrPath.indexOf('/') >= 0) {
            Path p = Path.of(nameOrPath);
            return Files.isRegularFile(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        Path cached = cache.get(nameOrPath);
        if (cached != null && Files.isRegularFile(cached)) {
            return Optional.of(cached);
        }
        for (Path dir : directories) {
            Path p = dir.resolve(nameOrPath);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Where {@link #find} looks after the loader cache, for the "not installed" message. */
    public List<Path> directories() {
        return directories;
    }

    static List<Path> defaultDirectories() {
        String triplet = multiarchTriplet();
        List<Path> dirs = new ArrayList<>();
        if (triplet != null) {
            dirs.add(Path.of("/usr/lib", triplet));
            dirs.add(Path.of("/lib", triplet));
            dirs.add(Path.of("/usr/local/lib", triplet));
        }
        dirs.add(Path.of("/usr/lib64"));
        dirs.add(Path.of("/usr/local/lib"));
        dirs.add(Path.of("/usr/lib"));
        dirs.add(Path.of("/lib64"));
        return dirs;
    }

    static String multiarchTriplet() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
                return "x86_64-linux-gnu";
            case "aarch64":
            case "arm64":
                return "aarch64-linux-gnu";
            case "ppc64le":
                return "powerpc64le-linux-gnu";
            case "s390x":
                return "s390x-linux-gnu";
            case "riscv64":
                return "riscv64-linux-gnu";
            default:
                return null;
        }
    }

    /**
     * Parses {@code ldconfig -p}: lines like {@code libjemalloc.so.2 (libc6,x86-64) => /lib/x86_64-linux-gnu/libjemalloc.so.2}.
     * Only entries for this machine's word size are kept (a 32-bit library would not preload into a 64-bit process).
     */
    static Map<String, Path> parseLdconfig(List<String> lines, boolean want64) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String line : lines) {
            int arrow = line.indexOf("=>");
            int paren = line.indexOf('(');
            if (arrow < 0 || paren < 0 || paren > arrow) {
                continue;
            }
            String name = line.substring(0, paren).trim();
            String flags = line.substring(paren, arrow);
            boolean is64 = flags.contains("64");
            if (is64 != want64) {
                continue;
            }
            out.putIfAbsent(name, Path.of(line.substring(arrow + 2).trim()));
        }
        return out;
    }

    private static Map<String, Path> readLdconfigCache() {
        for (String exe : new String[]{"/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"}) {
            if (exe.startsWith("/") && !Files.isExecutable(Path.of(exe))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(exe, "-p").redirectErrorStream(true).start();
                List<String> lines = new ArrayList<>();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                }
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    continue;
                }
                boolean want64 = System.getProperty("os.arch", "").contains("64");
                return parseLdconfig(lines, want64);
            } catch (IOException e) {
                // try the next location; no ldconfig at all just means we rely on the directory scan
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Map.of();
    }
}
