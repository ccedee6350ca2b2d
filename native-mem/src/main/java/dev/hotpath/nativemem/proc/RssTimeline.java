package dev.hotpath.nativemem.proc;

import dev.hotpath.nativemem.NativeFormatException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The RSS timeline file ({@code # hotpath-rss v1}, FORMATS.md): a first line that identifies it, a CSV header, then
 * one row of integers per sample. Reading keeps every complete row; a torn last row (the recorder was killed mid-write)
 * is dropped and reported through {@link Result#droppedRows()}.
 */
public final class RssTimeline {
    public static final String MAGIC = "# hotpath-rss v1";
    public static final String HEADER = "epochMillis,rssKb,pssKb,anonKb,fileKb,swapKb";

    private RssTimeline() {
    }

    public record Result(List<MemSample> samples, int droppedRows) {
    }

    public static void writeHeader(Writer w) throws IOException {
        w.write(MAGIC + "\n" + HEADER + "\n");
    }

    public static void writeRow(Writer w, MemSample s) throws IOException {
        w.write(s.epochMillis() + "," + s.rssKb() + "," + s.pssKb() + "," + s.anonKb() + "," + s.fileKb() + ","
                + s.swapKb() + "\n");
    }

    public static Result read(Path file) throws IOException {
        List<MemSample> out = new ArrayList<>();
        int dropped = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            if (first == null) {
                throw new NativeFormatException(file, "empty file, expected an RSS timeline ('" + MAGIC + "')");
            }
            if (!first.equals(MAGIC)) {
                throw new NativeFormatException(file, 1, "not an RSS timeline: first line is '" + abbreviate(first)
                        + "', expected '" + MAGIC + "'");
            }
            String header = r.readLine();
            if (header != null && !header.equals(HEADER)) {
                throw new NativeFormatException(file, 2, "unexpected RSS timeline header '" + abbreviate(header) + "'");
            }
            String line;
            long[] v = new long[6];
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                if (parseRow(line, v)) {
                    out.add(new MemSample(v[0], v[1], v[2], v[3], v[4], v[5], -1));
                } else {
                    dropped++;
                }
            }
        }
        return new Result(out, dropped);
    }

    private static boolean parseRow(String line, long[] v) {
        int col = 0;
        int p = 0;
        int n = line.length();
        while (col < 6) {
            if (p >= n) {
                return false;
            }
            boolean neg = line.charAt(p) == '-';
            if (neg) {
                p++;
            }
            int start = p;
            long x = 0;
            while (p < n && Character.isDigit(line.charAt(p))) {
                x = x * 10 + (line.charAt(p++) - '0');
            }
            if (p == start) {
                return false;
            }
            v[col++] = neg ? -x : x;
            if (col < 6) {
                if (p >= n || line.charAt(p) != ',') {
                    return false;
                }
                p++;
            }
        }
        return p == n;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
