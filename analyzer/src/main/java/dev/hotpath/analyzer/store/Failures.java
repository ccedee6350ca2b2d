package dev.hotpath.analyzer.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns driver and Flyway errors, which span several lines and repeat themselves, into the one line users see. */
final class Failures {
    private Failures() {
    }

    /** The first non-blank line of the most specific message in the cause chain. */
    static String oneLine(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null && message == null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return failure.getClass().getSimpleName();
        }
        for (String line : message.split("\\R")) {
            if (!line.isBlank()) {
                return line.trim();
            }
        }
        return message.trim();
    }

    /**
     * "the file system is full (N bytes free): " when a SQLite write failed for lack of space, else "". SQLite does not
     * always say so itself: running out of space while growing the WAL index shows as SQLITE_IOERR_SHMSIZE.
     */
    static String fullDisk(Throwable failure, String location) {
        String message = String.valueOf(failure.getMessage());
        if (!message.contains("SQLITE_FULL") && !message.contains("SQLITE_IOERR")) {
            return "";
        }
        try {
            Path dir = Path.of(location);
            if (Files.isDirectory(dir)) {
                long free = Files.getFileStore(dir).getUsableSpace();
                if (free < FULL_BELOW_BYTES) {
                    return "the file system is full (" + free + " bytes free): ";
                }
            }
        } catch (IOException | RuntimeException e) {
            // No hint then; the driver's message still stands.
        }
        return "";
    }

    private static final long FULL_BELOW_BYTES = 1024 * 1024;
}
