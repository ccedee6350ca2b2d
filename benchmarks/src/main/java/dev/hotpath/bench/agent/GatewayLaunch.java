package dev.hotpath.bench.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a sample gateway JVM for the agent harnesses: waits for its "listening on 127.0.0.1:PORT" line, then keeps
 * its stdout drained so that it never blocks on a full pipe. The process is killed when the harness exits; {@link #stop}
 * ends it earlier, and {@link #deleteTree} removes its root.
 */
final class GatewayLaunch {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final int port;

    private GatewayLaunch(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** {@code cmd}: the whole command; {@code stderr}: where the gateway's stderr goes. */
    static GatewayLaunch start(List<String> cmd, ProcessBuilder.Redirect stderr) throws IOException {
        Process process = new ProcessBuilder(cmd).redirectError(stderr).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly)); // the harness interrupted
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        int port = -1;
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                break;
            }
        }
        if (port < 0) {
            process.destroyForcibly();
            throw new IllegalStateException("gateway did not start: " + cmd);
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException ignored) {
                // the gateway exited
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new GatewayLaunch(process, port);
    }

    /** SIGTERM (so that an agent writes its snapshot at exit), then SIGKILL after {@code seconds}. */
    void stop(long seconds) {
        process.destroy();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes a gateway's root directory and everything in it. */
    static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
