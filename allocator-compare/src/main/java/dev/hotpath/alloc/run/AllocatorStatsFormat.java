package dev.hotpath.alloc.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statistics an allocator prints at exit when asked through its environment, and how to read them from stderr.
 * One instance reads one run (instances are stateful: they track whether the current line is inside the report).
 * Every line that belongs to the allocator's report is kept out of the stderr tail shown to the user.
 *
 * <ul>
 *   <li>jemalloc: {@code MALLOC_CONF=stats_print:true,stats_print_opts:gmdablxeh} — every optional section omitted
 *       (general options, merged/destroyed/per-arena statistics, bins, large classes, mutexes, extents, HPA); the
 *       totals line remains, e.g. (5.3) {@code Allocated: 16062632, active: 24584192, metadata: 3791584 (n_thp 0),
 *       resident: 28368896, mapped: 45625344, retained: 13094912}.</li>
 *   <li>tcmalloc (gperftools): {@code MALLOCSTATS=1}; {@code MALLOC:} lines such as
 *       {@code MALLOC: +      6463488 (    6.2 MiB) Bytes in page heap freelist}.</li>
 *   <li>mimalloc: {@code MIMALLOC_SHOW_STATS=1}; a table from {@code heap stats:} to the {@code process:} line, of which
 *       the {@code reserved:} and {@code committed:} rows (peak, current) and the process's rss/commit are read.</li>
 * </ul>
 */
public abstract class AllocatorStatsFormat {

    /** The format for a preloaded library (by its file name), or null for one hotpath cannot ask for statistics. */
    public static AllocatorStatsFormat forLibrary(Path library) {
        if (library == null) {
            return null;
        }
        String name = library.getFileName().toString();
        if (name.contains("jemalloc")) {
            return new Jemalloc();
        }
        if (name.contains("tcmalloc")) {
            return new Tcmalloc();
        }
        if (name.contains("mimalloc")) {
            return new Mimalloc();
        }
        return null;
    }

    /** Adds what makes the allocator print its statistics at exit, keeping the variant's own settings. */
    public abstract void addEnv(Map<String, String> env);

    /** Reads one stderr line; true when it belongs to the allocator's report. Values go to {@code out} in bytes. */
    public abstract boolean accept(String line, Map<String, Long> out);

    static final class Jemalloc extends AllocatorStatsFormat {
        static final String OPTS = "stats_print:true,stats_print_opts:gmdablxeh";
        private static final Pattern TOTALS = Pattern.compile(
                "Allocated: (\\d+), active: (\\d+), metadata: (\\d+)(?: \\([^)]*\\))?, resident: (\\d+), mapped: (\\d+), retained: (\\d+)");
        private static final String[] KEYS = {"allocatedBytes", "activeBytes", "metadataBytes", "residentBytes",
                "mappedBytes", "retainedBytes"};
        private boolean inside;

        @Override
        public void addEnv(Map<String, String> env) {
            String conf = env.get("MALLOC_CONF");
            env.put("MALLOC_CONF", conf == null || conf.isBlank() ? OPTS : conf + "," + OPTS);
        }

        @Override
        public boolean accept(String line, Map<String, Long> out) {
            if (line.startsWith("___ Begin jemalloc statistics ___")) {
                inside = true;
                return true;
            }
            if (!inside) {
                return false;
            }
            if (line.startsWith("--- End jemalloc statistics ---")) {
                inside = false;
                return true;
            }
            Matcher m = TOTALS.matcher(line);
            if (m.find()) {
                for (int i = 0; i < KEYS.length; i++) {
                    out.put(KEYS[i], Long.parseLong(m.group(i + 1)));
                }
            }
            return true;
        }
    }

    static final class Tcmalloc extends AllocatorStatsFormat {
        private static final Pattern LINE = Pattern.compile("^MALLOC:\\s*[+=]?\\s*(\\d+) \\(\\s*[0-9.]+ MiB\\) (.+)$");
        private static final String RULE = "------------------------------------------------";
        private static final Map<String, String> KEYS = Map.of(
                "Bytes in use by application", "inUseBytes",
                "Bytes in page heap freelist", "pageHeapFreeBytes",
                "Bytes in central cache freelist", "centralCacheFreeBytes",
                "Bytes in transfer cache freelist", "transferCacheFreeBytes",
                "Bytes in thread cache freelists", "threadCacheFreeBytes",
                "Bytes in malloc metadata", "metadataBytes",
                "Actual memory used (physical + swap)", "actualBytes",
                "Bytes released to OS (aka unmapped)", "releasedBytes",
                "Virtual address space used", "virtualBytes");

        @Override
        public void addEnv(Map<String, String> env) {
            env.putIfAbsent("MALLOCSTATS", "1");
        }

        @Override
        public boolean accept(String line, Map<String, Long> out) {
            if (line.startsWith("MALLOC:")) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    String key = KEYS.get(m.group(2).trim());
                    if (key != null) {
                        out.put(key, Long.parseLong(m.group(1)));
                    }
                }
                return true;
            }
            return line.equals(RULE)
                    || line.startsWith("Call ReleaseFreeMemory() to release freelist memory")
                    || line.startsWith("Bytes released to the OS take up virtual address space");
        }
    }

    static final class Mimalloc extends AllocatorStatsFormat {
        private static final Pattern SIZE = Pattern.compile("(-?[0-9.]+)(?: (B|KiB|MiB|GiB|TiB))?");
        private static final Pattern PROCESS = Pattern.compile("rss: ([0-9.]+ [KMGT]?i?B), commit: ([0-9.]+ [KMGT]?i?B)");
        private boolean inside;

        @Override
        public void addEnv(Map<String, String> env) {
            env.putIfAbsent("MIMALLOC_SHOW_STATS", "1");
        }

        @Override
        public boolean accept(String line, Map<String, Long> out) {
            String t = line.trim();
            if (t.startsWith("heap stats:")) {
                inside = true;
                return true;
            }
            if (!inside) {
                return false;
            }
            if (t.startsWith("reserved:") || t.startsWith("committed:")) {
                String row = t.startsWith("reserved:") ? "reserved" : "committed";
                Matcher m = SIZE.matcher(t.substring(t.indexOf(':') + 1));
                long[] cols = new long[4];
                int n = 0;
                while (n < 4 && m.find()) {
                    cols[n++] = bytes(m.group(1), m.group(2));
                }
                if (n == 4) {
                    out.put(row + "PeakBytes", cols[0]);
                    out.put(row + "CurrentBytes", cols[3]);
                }
            } else if (t.startsWith("process:")) {
                Matcher m = PROCESS.matcher(t);
                if (m.find()) {
                    out.put("processRssBytes", sized(m.group(1)));
                    out.put("processCommitBytes", sized(m.group(2)));
                }
                inside = false;
            }
            return true;
        }

        private static long sized(String text) {
            String[] p = text.split(" ");
            return bytes(p[0], p.length > 1 ? p[1] : null);
        }

        /** mimalloc prints sizes to one decimal in binary units: the value is accurate to 0.05 of its unit. */
        static long bytes(String number, String unit) {
            double v = Double.parseDouble(number);
            long mult = unit == null || unit.equals("B") ? 1 : switch (unit) {
                case "KiB" -> 1L << 10;
                case "MiB" -> 1L << 20;
                case "GiB" -> 1L << 30;
                default -> 1L << 40;
            };
            return Math.round(v * mult);
        }
    }
}
