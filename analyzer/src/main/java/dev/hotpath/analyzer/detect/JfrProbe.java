package dev.hotpath.analyzer.detect;

import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recognises JFR recordings by the chunk header (magic {@code FLR\0}, 68 bytes, big-endian) and tells async-profiler's
 * recordings from the JDK's by the metadata: async-profiler always declares its own {@code profiler.*} event types
 * (e.g. {@code profiler.Log}), which the JDK never does. Metadata strings are UTF-8, Latin-1 or varint char arrays,
 * all of which spell ASCII names byte for byte, so a byte search of the metadata event is enough.
 */
final class JfrProbe {
    static final int HEADER_BYTES = 68;
    private static final byte[] MAGIC = {'F', 'L', 'R', 0};
    private static final byte[] PROFILER_TYPE = "profiler.Log".getBytes(StandardCharsets.US_ASCII);
    /** Bound on the bytes searched for async-profiler's event types; its metadata is a few KiB. */
    private static final int MAX_METADATA_SCAN = 4 << 20;

    private JfrProbe() {
    }

    static boolean matches(ByteBuffer head) {
        return startsWith(head, MAGIC);
    }

    static Detection detect(Path file, FileChannel ch, ByteBuffer head) throws IOException, UnusableInputException {
        long size = ch.size();
        if (head.remaining() < HEADER_BYTES) {
            throw new UnusableInputException(file, "truncated JFR recording: the chunk header needs " + HEADER_BYTES
                    + " bytes, the file has " + size);
        }
        ByteBuffer h = head.duplicate();
        int major = Short.toUnsignedInt(h.getShort(4));
        int minor = Short.toUnsignedInt(h.getShort(6));
        long chunkSize = h.getLong(8);
        long metadataOffset = h.getLong(24);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("jfrVersion", major + "." + minor);
        List<String> notes = new ArrayList<>();
        if (chunkSize == 0) {
            notes.add(file + ": JFR chunk header has no size (the recording was not finished); reading as far as it goes");
        } else if (chunkSize > size) {
            attrs.put("truncated", true);
            notes.add(file + ": truncated JFR recording: the first chunk declares " + chunkSize + " bytes, the file has "
                    + size);
        }
        boolean asyncProfiler = metadataOffset > 0 && metadataOffset < size
                ? containsProfilerTypes(ch, metadataOffset, size)
                : containsProfilerTypes(ch, 0, size);
        if (asyncProfiler) {
            attrs.put("producer", "async-profiler");
        }
        return new Detection(asyncProfiler ? ArtifactType.ASYNC_PROFILER_JFR : ArtifactType.JFR, attrs, notes);
    }

    private static boolean containsProfilerTypes(FileChannel ch, long from, long size) throws IOException {
        int len = (int) Math.min(MAX_METADATA_SCAN, size - from);
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
            // keep reading: a positional read may return fewer bytes than asked
        }
        return indexOf(buf.array(), buf.position(), PROFILER_TYPE) >= 0;
    }

    static int indexOf(byte[] data, int limit, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean startsWith(ByteBuffer buf, byte[] prefix) {
        if (buf.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf.get(buf.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
