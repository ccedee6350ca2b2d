package dev.hotpath.cli;

/**
 * A command cannot finish for a reason the user can act on (an output file that cannot be written, a baseline that is
 * gone). The message is the one line printed; {@code exitCode} is one of {@link ExitCodes}.
 */
public class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CommandFailedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public CommandFailedException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
