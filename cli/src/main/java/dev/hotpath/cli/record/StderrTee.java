package dev.hotpath.cli.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Forwards the recorded JVM's stderr to hotpath's own, line by line, and copies jemalloc's statistics block
 * ({@code ___ Begin jemalloc statistics ___} … {@code --- End jemalloc statistics ---}, printed at exit with
 * {@code stats_print:true}) into a file instead of the terminal, where it would bury the program's last words.
 */
final class StderrTee implements Runnable {
    private final InputStream in;
    private final PrintWriter err;
    private final Path statsFile;
    private volatile boolean sawStats;

    StderrTee(InputStream in, PrintWriter err, Path statsFile) {
        this.in = in;
        this.err = err;
        this.statsFile = statsFile;
    }

    boolean sawStats() {
        return sawStats;
    }

    @Override
    public void run() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            Writer stats = null;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("___ Begin jemalloc statistics ___")) {
                    if (stats != null) {
                        stats.close();
                    }
                    stats = Files.newBufferedWriter(statsFile, StandardCharsets.UTF_8);
                    sawStats = true;
                }
                if (stats != null) {
                    stats.write(line);
                    stats.write('\n');
                    if (line.startsWith("--- End jemalloc statistics ---")) {
                        stats.close();
                        stats = null;
                    }
                } else {
                    synchronized (err) {
                        err.println(line);
                        err.flush();
                    }
                }
            }
            if (stats != null) {
                stats.close();
            }
        } catch (IOException e) {
            // the child is gone; nothing left to forward
        }
    }
}
