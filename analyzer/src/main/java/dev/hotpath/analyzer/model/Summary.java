package dev.hotpath.analyzer.model;

/**
 * A typed digest an ingester makes of one artifact (GC pauses, a class histogram, an NMT timeline...). Rules read
 * summaries, never files. Summaries are bounded in size whatever the artifact's size.
 *
 * <p>A summary that the workspace should keep (for the UI or a later {@code --baseline}) returns a JSON-compatible
 * value from {@link #toJson()}; {@code null} means "not stored".
 */
public interface Summary {
    /** The artifact this summary was made from. */
    Artifact source();

    /** A short stable key, e.g. {@code "gc.pauses"}, used as the summary's name in the workspace and the API. */
    String kind();

    default Object toJson() {
        return null;
    }
}
