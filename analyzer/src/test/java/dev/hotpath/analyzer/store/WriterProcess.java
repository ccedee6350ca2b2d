package dev.hotpath.analyzer.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real JVM running {@link StoreWriterMain}, its stdout lines queued for the test. Killed on close. */
final class WriterProcess implements AutoCloseable {
    private static final String EOF = "\0eof";
    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private WriterProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::pump, "writer-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static WriterProcess start(Path scratch, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StoreWriterMain.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(scratch, "writer", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        return new WriterProcess(p, err);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // The process was killed: its pipe closing mid-line is expected.
        }
        lines.add(EOF);
    }

    /** The next stdout line; fails the test (with the child's stderr) after the timeout or at end of output. */
    String next(long timeoutSeconds) throws Exception {
        String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (line == null || line.equals(EOF)) {
            throw new AssertionError("writer " + process.pid() + (line == null ? " said nothing for " + timeoutSeconds
                    + " s" : " ended") + "; stderr: " + Files.readString(stderr));
        }
        return line;
    }

    /** All lines printed up to the end of output (call after the process ended). */
    List<String> rest() throws Exception {
        List<String> rest = new ArrayList<>();
        for (String line; !(line = lines.take()).equals(EOF); ) {
            rest.add(line);
        }
        lines.add(EOF);
        return rest;
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** SIGKILL, as {@code kill -9} would: the JVM gets no chance to run hooks or finish the transaction. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int waitFor(long timeoutSeconds) throws Exception {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError("writer " + process.pid() + " still running after " + timeoutSeconds + " s");
        }
        return process.exitValue();
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
