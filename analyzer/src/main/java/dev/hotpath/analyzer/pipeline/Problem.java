package dev.hotpath.analyzer.pipeline;

/**
 * An input (or a rule) that could not be used. {@code line} is what the user sees, one line naming the file and what
 * is wrong; {@code cause} is kept for {@code --verbose} and is {@code null} for plain bad input.
 */
public record Problem(String line, Throwable cause) {
    public static Problem of(String line) {
        return new Problem(line, null);
    }
}
