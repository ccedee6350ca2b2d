package dev.hotpath.agent.tag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Never run: {@link CallSiteTagger#warmUp} rewrites this class's bytes once, to load what rewriting needs. */
final class WarmUp {
    private WarmUp() {
    }

    static int read(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        return ch.read(dst, position);
    }
}
