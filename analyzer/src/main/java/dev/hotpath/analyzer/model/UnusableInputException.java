package dev.hotpath.analyzer.model;

import java.nio.file.Path;

/**
 * Input that cannot be used at all. The message is the one line a user sees (CLI exit code 3): it names the file,
 * and where known the byte offset and the offending value. Input that is usable in part is not an exception: the
 * ingester keeps what it read and records a note (e.g. "truncated at byte 1234").
 */
public class UnusableInputException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Path file;

    public UnusableInputException(Path file, String what) {
        super(file + ": " + what);
        this.file = file;
    }

    public UnusableInputException(Path file, long offset, String what) {
        super(file + ": " + what + " (at byte " + offset + ")");
        this.file = file;
    }

    public UnusableInputException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
