package dev.hotpath.analyzer.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipFile;

/** async-profiler 4.2's native library, taken from its Maven jar (the test dependency Maven already fetched). */
final class AsyncProfilerJar {
    private AsyncProfilerJar() {
    }

    /** Copies {@code libasyncProfiler.so} into {@code dir} and returns its path. */
    static Path extractTo(Path dir) throws IOException {
        Path lib = dir.resolve("libasyncProfiler.so");
        Path jar = Path.of(System.getProperty("user.home"), ".m2/repository/tools/profiler/async-profiler/4.2/"
                + "async-profiler-4.2.jar");
        try (ZipFile zip = new ZipFile(jar.toFile());
             InputStream in = zip.getInputStream(zip.getEntry("linux-x64/libasyncProfiler.so"))) {
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
        }
        return lib;
    }
}
