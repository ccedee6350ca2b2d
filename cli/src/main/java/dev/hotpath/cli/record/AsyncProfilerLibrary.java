package dev.hotpath.cli.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code libasyncProfiler.so} bundled in the {@code tools.profiler:async-profiler} jar, extracted once into a
 * cache directory so that {@code -agentpath:} can load it (no system install of async-profiler is needed).
 */
public final class AsyncProfilerLibrary {
    private static final String RESOURCE = "/linux-x64/libasyncProfiler.so";

    private AsyncProfilerLibrary() {
    }

    /**
     * @param cacheDir where to put it ({@code ~/.cache/hotpath} normally)
     * @return the extracted library
     * @throws IOException if the platform is not linux-x64 or the jar does not hold the library
     */
    public static Path extract(Path cacheDir) throws IOException {
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")
                || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IOException("async-profiler is bundled for linux-x64 only (this is " + System.getProperty("os.name")
                    + " " + arch + ")");
        }
        try (InputStream in = AsyncProfilerLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("libasyncProfiler.so is missing from the class path (tools.profiler:async-profiler)");
            }
            byte[] bytes = in.readAllBytes();
            Path dir = Files.createDirectories(cacheDir.resolve("async-profiler-" + Integer.toHexString(java.util.Arrays.hashCode(bytes))));
            Path lib = dir.resolve("libasyncProfiler.so");
            if (!Files.exists(lib) || Files.size(lib) != bytes.length) {
                // write beside and move: a concurrent record must never load a half-written library
                Path tmp = Files.createTempFile(dir, "lib", ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return lib;
        }
    }

    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("hotpath");
    }
}
