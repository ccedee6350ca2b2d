package dev.hotpath.cli.demo;

import dev.hotpath.cli.record.RecordOptions;
import dev.hotpath.cli.record.Recorder;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One sample service running under {@code hotpath record} in a thread of the demo: the recorder launches the JVM
 * with the evidence wired in, stops it after its duration and writes the run directory.
 */
final class RecordedService {
    final String name;
    final int port;
    final Path runDir;
    final Path log;
    private final Thread thread;
    private final StringWriter recorderErr = new StringWriter();
    private volatile Recorder.Result result;
    private volatile Throwable failure;

    private RecordedService(String name, int port, RecordOptions options) {
        this.name = name;
        this.port = port;
        this.runDir = options.out();
        this.log = options.appLog();
        Recorder recorder = new Recorder(options, new PrintWriter(recorderErr, true), false);
        this.thread = new Thread(() -> {
            try {
                result = recorder.run();
            } catch (Throwable t) {
                failure = t;
            }
        }, "hotpath-demo-" + name);
        thread.setDaemon(true);
    }

    static RecordedService start(String name, int port, RecordOptions options) {
        RecordedService s = new RecordedService(name, port, options);
        s.thread.start();
        return s;
    }

    /** Waits until the service accepts connections; fails with the tail of its log when it died first. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!thread.isAlive()) {
                throw new IOException(name + " exited before it was ready: " + tail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException(name + " did not listen on 127.0.0.1:" + port + " within " + timeout.toSeconds() + " s: " + tail());
    }

    /** The service's JVM: the descendant of this process whose command line names the run directory. */
    java.util.Optional<ProcessHandle> jvm() {
        String marker = runDir.toAbsolutePath() + "/";
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .findFirst();
    }

    /**
     * Asks the service to stop (SIGTERM: its shutdown hook runs, JFR and async-profiler write their files); the
     * recorder sees the JVM exit and finishes the run directory. The recorder's own duration is only a backstop.
     */
    void stop() {
        jvm().ifPresent(ProcessHandle::destroy);
    }

    /** Waits for the recorder to stop the JVM and finish the run directory. */
    Recorder.Result await(Duration timeout) throws IOException, InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new IOException(name + ": recording did not finish within " + timeout.toSeconds() + " s");
        }
        if (failure != null) {
            throw new IOException(name + ": recording failed: " + failure.getMessage(), failure);
        }
        return result;
    }

    String tail() {
        StringBuilder sb = new StringBuilder(recorderErr.toString().strip());
        try {
            if (log != null && Files.exists(log)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (String line : lines.subList(Math.max(0, lines.size() - 5), lines.size())) {
                    sb.append(sb.length() == 0 ? "" : " | ").append(line);
                }
            }
        } catch (IOException ignored) {
            // no log to show
        }
        return sb.length() == 0 ? "(no output)" : sb.toString();
    }
}
