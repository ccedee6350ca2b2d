package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/** One real {@code hotpath demo} run for a test class: launched from this checkout, its findings read back. */
final class DemoRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoRuns() {
    }

    /** Runs {@code hotpath args…} with {@code hotpath.home} at this checkout (the demo finds the sample jar there). */
    static Cli.Result run(String... args) throws Exception {
        String previousHome = System.getProperty("hotpath.home");
        System.setProperty("hotpath.home", Path.of("..").toAbsolutePath().normalize().toString());
        try {
            return Cli.run(args);
        } finally {
            if (previousHome == null) {
                System.clearProperty("hotpath.home");
            } else {
                System.setProperty("hotpath.home", previousHome);
            }
        }
    }

    /** The {@code findings} array of a {@code --json} report. */
    static JsonNode findings(Path json) throws IOException {
        return JSON.readTree(json.toFile()).path("findings");
    }
}
