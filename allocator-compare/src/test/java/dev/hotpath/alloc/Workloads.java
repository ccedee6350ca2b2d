package dev.hotpath.alloc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Compiles the C workloads under {@code src/test/resources/workloads} with the machine's gcc. */
public final class Workloads {
    private Workloads() {
    }

    public static Path compile(String name, Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".c");
        try (InputStream in = Workloads.class.getResourceAsStream("/workloads/" + name + ".c")) {
            Files.copy(in, src);
        }
        Path exe = dir.resolve(name);
        Process p = new ProcessBuilder("gcc", "-O2", "-pthread", "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("gcc failed for " + name + ": " + out);
        }
        return exe;
    }
}
