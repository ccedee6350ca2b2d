package dev.hotpath.nativemem.jemalloc;

import dev.hotpath.nativemem.NativeFormatException;
import dev.hotpath.nativemem.symbols.ProcMaps;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads jemalloc's {@code heap_v2} profile text ({@code prof_final}/{@code lg_prof_interval} dumps): a
 * {@code heap_v2/<period>} line, a {@code t*:} totals line (and per-thread {@code tN:} lines, ignored), then stacks
 * ({@code @ 0x... 0x...} followed by their {@code t*: objs: bytes [...]} line), then {@code MAPPED_LIBRARIES:}.
 * A profile cut short is read up to the last complete stack.
 */
public final class HeapProfileParser {
    private HeapProfileParser() {
    }

    public static HeapProfile parse(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String first = r.readLine();
            if (first == null) {
                throw new NativeFormatException(file, "empty file, expected a jemalloc heap profile ('heap_v2/...')");
            }
            if (!first.startsWith("heap_v2/")) {
                throw new NativeFormatException(file, 1, "not a jemalloc heap_v2 profile: first line is '"
                        + (first.length() > 40 ? first.substring(0, 40) + "…" : first) + "'");
            }
            long period;
            try {
                period = Long.parseLong(first.substring("heap_v2/".length()).trim());
            } catch (NumberFormatException e) {
                throw new NativeFormatException(file, 1, "bad sample period in '" + first + "'");
            }
            long totalObjs = 0;
            long totalBytes = 0;
            List<HeapStack> stacks = new ArrayList<>();
            List<String> maps = new ArrayList<>();
            long[] pending = null;
            boolean inMaps = false;
            String line;
            long[] counts = new long[2];
            while ((line = r.readLine()) != null) {
                if (inMaps) {
                    maps.add(line);
                } else if (line.startsWith("@")) {
                    pending = addresses(line);
                } else if (line.startsWith("  t*:")) {
                    if (!counts(line, counts)) {
                        continue;
                    }
                    if (pending == null) {
                        totalObjs = counts[0];
                        totalBytes = counts[1];
                    } else {
                        double scale = HeapProfile.scale(counts[0], counts[1], period);
                        stacks.add(new HeapStack(pending, counts[0], counts[1], counts[0] * scale, counts[1] * scale));
                        pending = null;
                    }
                } else if (line.startsWith("MAPPED_LIBRARIES:")) {
                    inMaps = true;
                }
            }
            return new HeapProfile(period, totalObjs, totalBytes, stacks, ProcMaps.parse(maps));
        }
    }

    private static long[] addresses(String line) {
        String[] parts = line.substring(1).trim().split("\\s+");
        long[] out = new long[parts.length];
        int n = 0;
        for (String p : parts) {
            if (p.startsWith("0x")) {
                try {
                    out[n++] = Long.parseUnsignedLong(p.substring(2), 16);
                } catch (NumberFormatException ignored) {
                    // a torn last line: keep the frames that parsed
                }
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Parses {@code "  t*: 8: 524890 [0: 0]"} into objs and bytes. */
    private static boolean counts(String line, long[] out) {
        int c1 = line.indexOf(':', 4);
        int c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
        int br = c2 < 0 ? -1 : line.indexOf('[', c2);
        if (c2 < 0) {
            return false;
        }
        try {
            out[0] = Long.parseLong(line.substring(c1 + 1, c2).trim());
            out[1] = Long.parseLong(line.substring(c2 + 1, br < 0 ? line.length() : br).trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
