package dev.hotpath.agent.export;

import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.LatencyBuckets;
import dev.hotpath.agent.bootstrap.SiteCounter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
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
     * The rows in the last render's order (guarded by the class). Each render sorts this list again, with the new
     * rows appended: TimSort takes the unchanged stretches as runs, so a render of thousands of quiet keys compares
     * about as many pairs as there are rows, where a sort from the registry's creation order compared n log n pairs,
     * most of them keys tied on count and bytes and told apart by their strings.
     */
    private static final ArrayList<Row> ORDERED = new ArrayList<>();
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
                ORDERED.add(r);
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
        ORDERED.removeIf(STALE.at(render));
        ORDERED.sort(ORDER);
        List<Row> rows = ORDERED;
        StringBuilder sb = OUT;
        sb.setLength(0);
        sb.append("{\"pid\":").append(pid)
                .append(",\"startedAt\":\"").append(Instant.ofEpochMilli(startedAtMillis)).append('"')
                .append(",\"capturedAt\":\"").append(Instant.ofEpochMilli(capturedAtMillis)).append('"')
                .append(",\"dropped\":").append(dropped)
                .append(",\"callSites\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
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
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
            }
        }
        sb.append('"');
    }

    /** Count, then bytes (descending), then site, target and op: one class, no chain of lambdas to call. */
    private static final Comparator<Row> ORDER = new Comparator<Row>() {
        @Override
        public int compare(Row a, Row b) {
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
    };

    /** Rows not seen by the current render; a class, no lambda (see ORDER). */
    private static final class Stale implements java.util.function.Predicate<Row> {
        long render;

        Stale at(long r) {
            render = r;
            return this;
        }

        @Override
        public boolean test(Row row) {
            if (row.render != render) {
                ROWS.remove(row.c);
                return true;
            }
            return false;
        }
    }

    private static final Stale STALE = new Stale();

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
