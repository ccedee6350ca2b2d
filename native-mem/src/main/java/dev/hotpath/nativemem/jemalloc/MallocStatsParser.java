package dev.hotpath.nativemem.jemalloc;

import dev.hotpath.nativemem.NativeFormatException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the totals of jemalloc's {@code malloc_stats_print} text (what {@code MALLOC_CONF=stats_print:true} writes to
 * stderr at exit). The text may be embedded in other output (a captured stderr); the last statistics block wins.
 */
public final class MallocStatsParser {
    private static final Pattern TOTALS = Pattern.compile("^Allocated: (\\d+), active: (\\d+), metadata: (\\d+)"
            + "(?: \\([^)]*\\))?, resident: (\\d+), mapped: (\\d+), retained: (\\d+)");
    private static final Pattern VERSION = Pattern.compile("^Version: \"?([^\"]+)\"?");
    private static final Pattern NARENAS = Pattern.compile("^\\s*opt\\.narenas: (\\d+)");

    private MallocStatsParser() {
    }

    public static MallocStats parse(Path file) throws IOException {
        String version = "";
        int narenas = -1;
        MallocStats last = null;
        boolean sawBegin = false;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("___ Begin jemalloc statistics ___")) {
                    sawBegin = true;
                    continue;
                }
                Matcher m = TOTALS.matcher(line);
                if (m.find()) {
                    last = new MallocStats(version, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                            Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                            Long.parseLong(m.group(6)), narenas);
                } else if ((m = VERSION.matcher(line)).find()) {
                    version = m.group(1);
                } else if ((m = NARENAS.matcher(line)).find()) {
                    narenas = Integer.parseInt(m.group(1));
                }
            }
        }
        if (last == null) {
            throw new NativeFormatException(file, sawBegin
                    ? "jemalloc statistics block has no 'Allocated: ..., active: ...' totals line (truncated?)"
                    : "not jemalloc malloc_stats_print output (no '___ Begin jemalloc statistics ___')");
        }
        return last;
    }
}
