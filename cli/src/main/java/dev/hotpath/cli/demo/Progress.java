package dev.hotpath.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The demo's progress: one line per phase, and on a terminal a bar redrawn in place during the load phase.
 * Thread-safe: the ticker thread and the main thread both print.
 */
final class Progress {
    private final PrintWriter err;
    private final boolean terminal;
    private final long t0 = System.nanoTime();

    Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    synchronized void phase(String text) {
        if (terminal) {
            err.print("\r\033[K");
        }
        err.printf(Locale.ROOT, "[%5.1fs] %s%n", elapsed(), text);
        err.flush();
    }

    /** Redraws the bar of the current phase (terminal only; elsewhere phases are enough). */
    synchronized void bar(String label, double fraction, String detail) {
        if (!terminal) {
            return;
        }
        int width = 30;
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        err.printf(Locale.ROOT, "\r\033[K[%5.1fs] %s [%s%s] %3d%% %s", elapsed(), label, "#".repeat(filled),
                " ".repeat(width - filled), Math.round(fraction * 100), detail);
        err.flush();
    }

    double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }
}
