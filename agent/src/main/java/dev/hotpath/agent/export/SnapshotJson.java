package dev.hotpath.agent.export;

import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.LatencyBuckets;
import dev.hotpath.agent.bootstrap.SiteCounter;

import java.time.Instant;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Renders the agent snapshot exactly as DESIGN.md's "Agent snapshot JSON": {@code pid}, {@code startedAt},
 * {@code capturedAt}, {@code dropped} and {@code callSites[]} with {@code site}, {@code kind}, {@code op},
 * {@code target}, {@code count}, {@code bytes}, {@code latencyNanos{p50,p90,p99,p999,max}} and {@code pattern}, plus
 * {@code latencyBuckets[]} (the non-empty histogram buckets: {@code fromNanos}, {@code toNanos} exclusive, {@code count}),
 * and for file reads {@code distinctBytes} (estimated distinct bytes read, whole 4 KiB blocks, at most {@code bytes};
 * see {@link dev.hotpath.agent.bootstrap.DistinctBlocks}) with {@code distinctSaturated:true} when that is only a lower
 * bound.
 * Call sites are ordered by count, then bytes (descending), then site; keys without operations are left out.
 *
 * <h2>What is consistent</h2>
 * The recorder adds an operation's count, bytes and latency with separate atomic adds and no lock, and this class
 * reads them while the host runs. A periodic snapshot (and {@code /snapshot}, {@code /metrics}) is therefore exact
 * for every operation that finished before the render began and for none that began after it ended, but the
 * operations in flight during the render may show in a key's {@code bytes} and not yet in its {@code count}, or in
 * its count and not yet in its latency histogram (a few operations per key on a busy site). The exit snapshot is
 * consistent: recording stops first and the counts are read once they stop moving ({@link SettledCounts}), so each
 * key's count and bytes are those of the same complete operations. {@code distinctBytes} never exceeds the
 * rendered {@code bytes}.
 */
public final class SnapshotJson {
    private SnapshotJson() {
    }

    /**
     * Per key, what the last render knew of it (guarded by the class: {@link #render} is synchronized). A key whose
     * count and bytes did not change between two renders is quiet: its row is rendered once more and then reused as
     * text until it changes (a service writing a temp file per request leaves thousands of keys that never change
     * again; rendering each every {@code interval}, in code the JIT rarely compiles because it runs once per interval,
     * was ~0.5% of a saturated gateway's CPU). Bounded by the registry's keys.
     */
    private static final Map<SiteCounter, Row> ROWS = new IdentityHashMap<>();
    /**
     * The rows in the last render's order, {@link #orderedCount} of them (guarded by the class). Each render sorts
     * them again, with the new rows appended, by {@link #sort}: a merge of the ascending runs it finds, so a render of
     * thousands of quiet keys compares about as many pairs as there are rows, where a sort from the registry's
     * creation order compared n log n pairs, most of them keys tied on count and bytes and told apart by their strings.
     */
    private static Row[] ordered = new Row[64];
    private static int orderedCount;
    private static Row[] mergeSpace = new Row[0];
    private static long renders;
    /**
     * The render's buffer, kept between renders (guarded by the class): a snapshot of thousands of keys is megabytes
     * of text, and a new builder per render grew by copying into fresh arrays that the JVM zeroes and the kernel
     * faults in, a third of a render's CPU (profiled: 4,100 keys, 1.5 MB). Retained: about one snapshot's text.
     */
    private static StringBuilder OUT = new StringBuilder(1 << 12);

    /** A snapshot of the keys as they are now, the host running (a periodic snapshot: see the class comment). */
    public static String render(long pid, long startedAtMillis, long capturedAtMillis, long dropped,
                                SiteCounter[] counters) {
        return render(pid, startedAtMillis, capturedAtMillis, dropped, counters, null);
    }

    /** The exit snapshot: each key's count and bytes as {@code settled} read them. */
    public static String render(long pid, long startedAtMillis, long capturedAtMillis, SettledCounts settled) {
        return render(pid, startedAtMillis, capturedAtMillis, settled.dropped, settled.counters, settled);
    }

    private static synchronized String render(long pid, long startedAtMillis, long capturedAtMillis, long dropped,
                                              SiteCounter[] counters, SettledCounts settled) {
        long render = ++renders;
        for (int i = 0; i < counters.length; i++) {
            SiteCounter c = counters[i];
            long count = settled == null ? c.count() : settled.count(i);
            if (count <= 0) {
                continue;
            }
            long bytes = settled == null ? c.bytes() : settled.bytes(i);
            Row r = ROWS.get(c);
            if (r == null) {
                r = new Row(c);
                ROWS.put(c, r);
                if (orderedCount == ordered.length) {
                    ordered = Arrays.copyOf(ordered, orderedCount * 2);
                }
                ordered[orderedCount++] = r;
            }
            r.render = render;
            if (count != r.count || bytes != r.bytes) {
                r.count = count;
                r.bytes = bytes;
                r.text = null;
                r.quiet = false;
            } else if (!r.quiet) {
                r.quiet = true; // unchanged for a whole interval: the row below is its final text until it changes
            }
        }
        // rows of keys not in this render (a caller passing another set of counters) are dropped, never shown stale
        dropStale(render);
        sort();
        Row[] rows = ordered;
        StringBuilder sb = OUT;
        sb.setLength(0);
        sb.append("{\"pid\":").append(pid)
                .append(",\"startedAt\":\"");
        instant(sb, startedAtMillis).append("\",\"capturedAt\":\"");
        instant(sb, capturedAtMillis).append('"')
                .append(",\"dropped\":").append(dropped)
                .append(",\"callSites\":[");
        for (int i = 0; i < orderedCount; i++) {
            Row r = rows[i];
            if (i > 0) {
                sb.append(',');
            }
            if (r.text != null) {
                sb.append(r.text);
            } else if (r.quiet) {
                int from = sb.length();
                row(sb, r);
                r.text = sb.substring(from);
            } else {
                row(sb, r);
            }
        }
        sb.append("]}\n");
        String json = sb.toString();
        if (sb.capacity() > 2 * json.length() + 4096) {
            OUT = new StringBuilder(json.length() + json.length() / 4); // keys are never fewer: rare
        }
        return json;
    }

    private static void row(StringBuilder sb, Row r) {
        SiteCounter c = r.c;
        long[] h = c.histogram();
        long max = c.maxNanos();
        if (r.head == null) {
            StringBuilder head = new StringBuilder(64 + c.site.length() + c.target.length());
            head.append("\n{\"site\":");
            string(head, c.site);
            head.append(",\"kind\":\"").append(Ops.kindName(c.kind)).append('"');
            head.append(",\"op\":\"").append(Ops.opName(c.op)).append('"');
            head.append(",\"target\":");
            string(head, c.target);
            r.head = head.toString();
        }
        sb.append(r.head);
        sb.append(",\"count\":").append(r.count);
        sb.append(",\"bytes\":").append(r.bytes);
        sb.append(",\"latencyNanos\":{\"p50\":").append(Percentiles.of(h, 0.50, max))
                .append(",\"p90\":").append(Percentiles.of(h, 0.90, max))
                .append(",\"p99\":").append(Percentiles.of(h, 0.99, max))
                .append(",\"p999\":").append(Percentiles.of(h, 0.999, max))
                .append(",\"max\":").append(max).append('}');
        // The histogram's non-empty buckets, so that a reader can draw the latency distribution, not only percentiles.
        sb.append(",\"latencyBuckets\":[");
        boolean first = true;
        for (int b = 0; b < h.length; b++) {
            if (h[b] == 0) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"fromNanos\":").append(LatencyBuckets.lowerBound(b))
                    .append(",\"toNanos\":").append(LatencyBuckets.upperBound(b))
                    .append(",\"count\":").append(h[b]).append('}');
        }
        sb.append(']');
        sb.append(",\"pattern\":\"").append(c.pattern()).append('"');
        long distinct = c.distinctBytes(r.bytes); // read after the row's bytes: capped at them
        if (distinct >= 0) {
            sb.append(",\"distinctBytes\":").append(distinct);
            if (c.distinctSaturated()) {
                sb.append(",\"distinctSaturated\":true");
            }
        }
        sb.append('}');
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (ch < 0x20) {
                        sb.append("\\u00").append(HEX[ch >> 4]).append(HEX[ch & 15]);
                    } else {
                        sb.append(ch);
                    }
            }
        }
        sb.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Appends {@code millis} as {@link Instant#toString()} does (UTC, the fraction only when not zero), by arithmetic:
     * {@code Instant.toString} goes through {@code DateTimeFormatter}, whose calls the host's own date formatting
     * (an HTTP server's Date header) is compiled from, and the agent's {@code Instant} would be profiled there too
     * (see SnapshotFile). Days to a civil date by the proleptic Gregorian era arithmetic ("days from civil",
     * H. Hinnant); years outside 0..9999, never an agent's clock, are left to {@code Instant}.
     */
    static StringBuilder instant(StringBuilder sb, long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        long ofDay = Math.floorMod(millis, 86_400_000L);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return sb.append(Instant.ofEpochMilli(millis));
        }
        digits(sb, year, 4).append('-');
        digits(sb, month, 2).append('-');
        digits(sb, day, 2).append('T');
        digits(sb, ofDay / 3_600_000, 2).append(':');
        digits(sb, ofDay / 60_000 % 60, 2).append(':');
        digits(sb, ofDay / 1000 % 60, 2);
        if (ofDay % 1000 != 0) {
            digits(sb.append('.'), ofDay % 1000, 3);
        }
        return sb.append('Z');
    }

    private static StringBuilder digits(StringBuilder sb, long value, int width) {
        for (long scale = width == 4 ? 1000 : width == 3 ? 100 : 10; scale > 0; scale /= 10) {
            sb.append((char) ('0' + value / scale % 10));
        }
        return sb;
    }

    /*
     * The order is kept by hand, not by ArrayList.removeIf and List.sort: the host's calls of those (TimSort's compare
     * calls, removeIf's test) are compiled from the types the JIT profiled there, and the agent's comparator and
     * predicate would be profiled with the host's own. See SnapshotFile for what one more class at such a call cost.
     */

    /** Removes, keeping the order, the rows of keys not seen by render {@code render} (and forgets their keys). */
    private static void dropStale(long render) {
        Row[] rows = ordered;
        int kept = 0;
        for (int i = 0; i < orderedCount; i++) {
            Row r = rows[i];
            if (r.render == render) {
                rows[kept++] = r;
            } else {
                ROWS.remove(r.c);
            }
        }
        Arrays.fill(rows, kept, orderedCount, null);
        orderedCount = kept;
    }

    /**
     * Sorts the rows by {@link #compare}, stably: a bottom-up merge of the ascending runs found in them, in passes
     * between {@link #ordered} and {@link #mergeSpace}. Rows already in order (a quiet render) cost one compare each.
     */
    static void sort() {
        int n = orderedCount;
        if (runEnd(ordered, 0, n) >= n) { // in order already (a quiet render): no pass, no copy
            return;
        }
        if (mergeSpace.length < n) {
            mergeSpace = new Row[ordered.length];
        }
        Row[] from = ordered;
        Row[] to = mergeSpace;
        while (true) {
            int runs = 0;
            for (int lo = 0; lo < n; ) {
                int mid = runEnd(from, lo, n);
                int hi = mid == n ? n : runEnd(from, mid, n);
                merge(from, to, lo, mid, hi);
                runs++;
                lo = hi;
            }
            Row[] t = from;
            from = to;
            to = t;
            if (runs == 1) {
                break;
            }
        }
        if (from != ordered) {
            System.arraycopy(from, 0, ordered, 0, n);
        }
        Arrays.fill(mergeSpace, null); // no row is kept alive by the scratch array
    }

    /** The end of the ascending run of {@code a} that starts at {@code lo} ({@code lo + 1} at least). */
    private static int runEnd(Row[] a, int lo, int n) {
        int i = lo + 1;
        while (i < n && compare(a[i - 1], a[i]) <= 0) {
            i++;
        }
        return i;
    }

    /** Merges the sorted {@code from[lo, mid)} and {@code from[mid, hi)} into {@code to[lo, hi)}, left on ties. */
    private static void merge(Row[] from, Row[] to, int lo, int mid, int hi) {
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
            if (j >= hi || i < mid && compare(from[i], from[j]) <= 0) {
                to[k] = from[i++];
            } else {
                to[k] = from[j++];
            }
        }
    }

    /** Count, then bytes (descending), then site, target and op. */
    private static int compare(Row a, Row b) {
        if (a.count != b.count) {
            return a.count > b.count ? -1 : 1;
        }
        if (a.bytes != b.bytes) {
            return a.bytes > b.bytes ? -1 : 1;
        }
        SiteCounter x = a.c;
        SiteCounter y = b.c;
        int d = x.site == y.site ? 0 : x.site.compareTo(y.site); // site strings are shared per frame
        if (d == 0) {
            d = x.target == y.target ? 0 : x.target.compareTo(y.target);
        }
        return d != 0 ? d : Integer.compare(x.op, y.op);
    }

    private static final class Row {
        final SiteCounter c;
        /** The last render that saw this key. */
        long render;
        long count;
        long bytes;
        /** The row's constant start (site, kind, op, target), rendered once. */
        String head;
        /** The whole row while the key is quiet, else {@code null}. */
        String text;
        boolean quiet;

        Row(SiteCounter c) {
            this.c = c;
            this.count = -1;
        }
    }
}
