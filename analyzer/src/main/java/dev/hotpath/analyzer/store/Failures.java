package dev.hotpath.analyzer.store;

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
}
