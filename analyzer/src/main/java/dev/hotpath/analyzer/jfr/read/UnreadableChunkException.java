package dev.hotpath.analyzer.jfr.read;

/**
 * The chunk holds something this reader does not understand (another major version, uncompressed integers, an
 * unknown string encoding, a pool or metadata that does not parse, a chunk cut short): the caller reads the file
 * with {@code jdk.jfr.consumer.RecordingFile} instead, whose behaviour on damaged input is the reference.
 */
public final class UnreadableChunkException extends RuntimeException {
    public UnreadableChunkException(String message) {
        super(message, null, false, false);
    }
}
