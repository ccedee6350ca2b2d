package dev.hotpath.alloc.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jemalloc's totals from {@code malloc_stats_print} at exit ({@code MALLOC_CONF=stats_print:true}). The runner limits the
 * report to its totals ({@code stats_print_opts:gmdablxeh} omits every optional section: general options, merged,
 * destroyed and per-arena statistics, bins, large classes, mutexes, extents, HPA); the totals line is always printed
 * and is the one read here, e.g. (jemalloc 5.3):
 * <pre>Allocated: 16062632, active: 24584192, metadata: 3791584 (n_thp 0), resident: 28368896, mapped: 45625344, retained: 13094912</pre>
 * The block between {@code ___ Begin jemalloc statistics ___} and {@code --- End jemalloc statistics ---} is removed
 * from the stderr tail shown to the user; it is ours, not the workload's.
 */
public final class JemallocStats {
    /** Every section jemalloc 5.3 lets stats_print_opts omit; the totals line remains (checked in JemallocStatsTest). */
    public static final String PRINT_OPTS = "gmdablxeh";
    public static final String BEGIN = "___ Begin jemalloc statistics ___";
    public static final String END = "--- End jemalloc statistics ---";
    private static final Pattern TOTALS = Pattern.compile(
            "Allocated: (\\d+), active: (\\d+), metadata: (\\d+)(?: \\([^)]*\\))?, resident: (\\d+), mapped: (\\d+), retained: (\\d+)");

    private JemallocStats() {
    }

    /** The totals in bytes ({@code allocatedBytes, activeBytes, metadataBytes, residentBytes, mappedBytes, retainedBytes}), or null. */
    public static Map<String, Long> parseTotals(String line) {
        Matcher m = TOTALS.matcher(line);
        if (!m.find()) {
            return null;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        String[] keys = {"allocatedBytes", "activeBytes", "metadataBytes", "residentBytes", "mappedBytes", "retainedBytes"};
        for (int i = 0; i < keys.length; i++) {
            out.put(keys[i], Long.parseLong(m.group(i + 1)));
        }
        return out;
    }

    /** Adds the stats options to a variant's {@code MALLOC_CONF} (or starts one). */
    public static String withStatsPrint(String mallocConf) {
        String extra = "stats_print:true,stats_print_opts:" + PRINT_OPTS;
        return mallocConf == null || mallocConf.isBlank() ? extra : mallocConf + "," + extra;
    }
}
