package dev.hotpath.analyzer.detect;

import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells what a file is from its content, never its name: binary formats by their magic (JFR, HPROF, gzip'd HPROF),
 * JSON by its top-level fields, text by its first lines. Reads at most {@link #HEAD_BYTES} for text and binary probes
 * (JSON and async-profiler detection read further, bounded). Stateless and thread-safe.
 *
 * <p>A file that is not usable at all (empty, truncated before its header, unknown) throws
 * {@link UnusableInputException} whose message is the one line the user sees.
 */
public final class ArtifactDetector {
    static final int HEAD_BYTES = 64 * 1024;

    public Detection detect(Path file) throws IOException, UnusableInputException {
        if (Files.isDirectory(file)) {
            throw new UnusableInputException(file, "is a directory");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new UnusableInputException(file, "empty file (0 bytes)");
            }
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(HEAD_BYTES, size));
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // a positional read may return fewer bytes than asked
            }
            head.flip();
            if (JfrProbe.matches(head)) {
                return JfrProbe.detect(file, ch, head);
            }
            if (HprofProbe.matchesPlain(head)) {
                return HprofProbe.detectPlain(file, head);
            }
            if (HprofProbe.matchesGzip(head)) {
                return HprofProbe.detectGzip(file);
            }
            if (!looksLikeText(head)) {
                throw new UnusableInputException(file, "not a recognised artifact (binary data starting with bytes "
                        + hex(head, 8) + ")");
            }
            List<String> lines = lines(head, size > head.limit());
            long jsonStart = jsonStart(head);
            if (jsonStart >= 0) {
                Detection json = JsonProbe.detect(file, jsonStart);
                if (json != null) {
                    return json;
                }
            }
            Detection text = TextProbe.detect(lines);
            if (text != null) {
                return text;
            }
            String words = firstWords(lines);
            throw new UnusableInputException(file, words.isEmpty() ? "not a recognised artifact (only blank lines)"
                    : "not a recognised artifact (text starting with \"" + words + "\")");
        } catch (NoSuchFileException e) {
            throw new UnusableInputException(file, "no such file");
        }
    }

    /** Text has no NUL and few control bytes; UTF-8 multi-byte sequences are fine (bytes >= 0x80 are not counted). */
    private static boolean looksLikeText(ByteBuffer head) {
        int control = 0;
        for (int i = head.position(); i < head.limit(); i++) {
            int b = head.get(i) & 0xff;
            if (b == 0) {
                return false;
            }
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
                control++;
            }
        }
        return control * 100 <= head.remaining();
    }

    /** The offset of the first line that starts with '{' when only blank or warning lines come before it, else -1. */
    private static long jsonStart(ByteBuffer head) {
        boolean lineStart = true;
        int lines = 0;
        for (int i = head.position(); i < head.limit() && lines < 20; i++) {
            byte b = head.get(i);
            if (lineStart && b == '{') {
                return i;
            }
            if (b == '\n') {
                lineStart = true;
                lines++;
            } else if (b != ' ' && b != '\t' && b != '\r') {
                lineStart = false;
            }
        }
        return -1;
    }

    /** Decoded lines of the head; the last one is dropped when the head was cut in the middle of the file. */
    private static List<String> lines(ByteBuffer head, boolean cut) {
        String text = StandardCharsets.UTF_8.decode(head.duplicate()).toString();
        String[] parts = text.split("\r?\n", -1);
        int n = parts.length;
        if (cut || (n > 0 && parts[n - 1].isEmpty())) {
            n--;
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(parts[i]);
        }
        return out;
    }

    private static String firstWords(List<String> lines) {
        for (String l : lines) {
            String t = l.strip();
            if (!t.isEmpty()) {
                String clean = t.replaceAll("\\p{Cntrl}", "?");
                return clean.length() <= 40 ? clean : clean.substring(0, 40) + "…";
            }
        }
        return "";
    }

    private static String hex(ByteBuffer head, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, head.remaining()); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", head.get(head.position() + i) & 0xff));
        }
        return sb.toString();
    }
}
