package dev.hotpath.cli.record;

import dev.hotpath.nativemem.proc.MemSample;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * record's progress: {@code [hotpath record] MM:SS elapsed  RSS 123.4 MB  artifacts N} — rewritten in place every
 * second on a terminal, or a plain line every {@value #LINES_PERIOD_MILLIS} ms when output goes to a log (CI), where
 * carriage returns would pile up into one unreadable line. RSS is "?" until the first sample; artifacts counts the
 * run directory's evidence files so far (what the manifest would list now).
 */
public final class ProgressLine {
    static final long LINES_PERIOD_MILLIS = 5_000;

    /** How progress is shown. */
    public enum Mode {
        NONE, TERMINAL, LINES;

        long periodMillis() {
            return this == LINES ? LINES_PERIOD_MILLIS : 1_000;
        }
    }

    private final PrintWriter err;
    private final Mode mode;
    private final long t0;
    private final Path out;
    private final Supplier<MemSample> last;

    ProgressLine(PrintWriter err, Mode mode, long t0, Path out, Supplier<MemSample> last) {
        this.err = err;
        this.mode = mode;
        this.t0 = t0;
        this.out = out;
        this.last = last;
    }

    /** The text of one progress line (no control characters). */
    static String format(long elapsedMillis, MemSample m, int artifacts) {
        long s = elapsedMillis / 1000;
        String rss = m == null ? "?" : String.format(Locale.ROOT, "%.1f MB", m.rssKb() / 1024.0);
        return String.format(Locale.ROOT, "[hotpath record] %02d:%02d elapsed  RSS %s  artifacts %d", s / 60, s % 60,
                rss, artifacts);
    }

    void print() {
        int artifacts;
        try {
            artifacts = Recorder.listArtifacts(out).size();
        } catch (IOException | RuntimeException e) {
            artifacts = 0; // a file vanished while we walked (a rotated GC log): the next tick counts again
        }
        String line = format(System.currentTimeMillis() - t0, last.get(), artifacts);
        synchronized (err) {
            if (mode == Mode.TERMINAL) {
                err.print("\r\033[K" + line);
            } else {
                err.println(line);
            }
            err.flush();
        }
    }

    /** Erases a terminal line before the final message. */
    void clear() {
        if (mode == Mode.TERMINAL) {
            synchronized (err) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
