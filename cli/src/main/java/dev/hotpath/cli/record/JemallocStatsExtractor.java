package dev.hotpath.cli.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies jemalloc's statistics block ({@code ___ Begin jemalloc statistics ___} … {@code --- End jemalloc
 * statistics ---}, printed to stderr at exit with {@code stats_print:true}) out of the program's stderr log.
 *
 * <p>Why a file and not a pipe read live: the JDK closes a child's stderr pipe when the process exits, and a reader
 * thread still inside {@code read} then fails with "Stream closed" — exactly while jemalloc prints its statistics.
 */
final class JemallocStatsExtractor {
    private JemallocStatsExtractor() {
    }

    /** @return true if a block was found and written */
    static boolean extract(Path log, Path stats) throws IOException {
        if (!Files.isRegularFile(log)) {
            return false;
        }
        List<String> block = null;
        List<String> last = null;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("___ Begin jemalloc statistics ___")) {
                    block = new ArrayList<>();
                }
                if (block != null) {
                    block.add(line);
                    if (line.startsWith("--- End jemalloc statistics ---")) {
                        last = block;
                        block = null;
                    }
                }
            }
        }
        if (last == null) {
            last = block; // cut short: keep what was printed, the parser says what is missing
        }
        if (last == null) {
            return false;
        }
        try (Writer w = Files.newBufferedWriter(stats, StandardCharsets.ISO_8859_1)) {
            for (String l : last) {
                w.write(l);
                w.write('\n');
            }
        }
        return true;
    }
}
