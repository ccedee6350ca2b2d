package dev.hotpath.analyzer.jfr.read;

import java.util.List;

/**
 * A stack trace, leaf frame first. One object per constant-pool entry per chunk, so callers can cache work per
 * stack by identity.
 */
public final class JfrStack {
    private final List<JfrFrame> frames;

    public JfrStack(List<JfrFrame> frames) {
        this.frames = frames;
    }

    public List<JfrFrame> getFrames() {
        return frames;
    }
}
