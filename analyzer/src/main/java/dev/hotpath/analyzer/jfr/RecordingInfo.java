package dev.hotpath.analyzer.jfr;

/**
 * What the reader learnt about the recording as a whole.
 *
 * @param startMs   earliest event start, epoch ms
 * @param endMs     latest event end, epoch ms
 * @param events    events read
 * @param truncated true when the file ended inside a chunk (read up to the cut)
 */
public record RecordingInfo(long startMs, long endMs, long events, boolean truncated) {
    public long durationMs() {
        return Math.max(0, endMs - startMs);
    }
}
