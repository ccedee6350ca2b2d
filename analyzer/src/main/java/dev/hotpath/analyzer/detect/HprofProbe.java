package dev.hotpath.analyzer.detect;

import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Recognises heap dumps: the HPROF header {@code JAVA PROFILE 1.0.1} or {@code 1.0.2} (NUL-terminated), plain or inside
 * gzip ({@code jcmd GC.heap_dump -gz=N} writes a gzip stream of independent members whose first header carries the
 * comment {@code HPROF BLOCKSIZE=...}).
 */
final class HprofProbe {
    private static final byte[] PREFIX = "JAVA PROFILE 1.0.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};

    private HprofProbe() {
    }

    static boolean matchesPlain(ByteBuffer head) {
        return JfrProbe.startsWith(head, PREFIX);
    }

    static boolean matchesGzip(ByteBuffer head) {
        return JfrProbe.startsWith(head, GZIP_MAGIC);
    }

    static Detection detectPlain(Path file, ByteBuffer head) throws UnusableInputException {
        String version = headerVersion(file, head);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("hprofVersion", version);
        return Detection.of(ArtifactType.HPROF, attrs);
    }

    /** Decompresses just enough of a gzip file to see the header inside. */
    static Detection detectGzip(Path file) throws IOException, UnusableInputException {
        byte[] inner = new byte[PREFIX.length + 2];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 8192)) {
            int n = in.readNBytes(inner, 0, inner.length);
            ByteBuffer head = ByteBuffer.wrap(inner, 0, n);
            if (!matchesPlain(head)) {
                throw new UnusableInputException(file, "gzip-compressed, but the content is not a heap dump"
                        + " (hotpath reads gzip only for HPROF)");
            }
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("hprofVersion", headerVersion(file, head));
            attrs.put("compression", "gzip");
            return Detection.of(ArtifactType.HPROF, attrs);
        } catch (EOFException e) {
            throw new UnusableInputException(file, "truncated gzip file: it ends before the compressed heap dump header");
        } catch (ZipException e) {
            throw new UnusableInputException(file, "corrupt gzip file: " + e.getMessage());
        }
    }

    private static String headerVersion(Path file, ByteBuffer head) throws UnusableInputException {
        int pos = head.position() + PREFIX.length;
        if (head.limit() < pos + 2 || head.get(pos + 1) != 0) {
            throw new UnusableInputException(file, "truncated HPROF header");
        }
        char minor = (char) head.get(pos);
        if (minor != '1' && minor != '2') {
            throw new UnusableInputException(file, "unsupported HPROF version 1.0." + minor + " (expected 1.0.1 or 1.0.2)");
        }
        return "1.0." + minor;
    }
}
