package dev.hotpath.agent.export;

import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.LatencyBuckets;
import dev.hotpath.agent.bootstrap.SiteCounter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders the agent snapshot exactly as DESIGN.md's "Agent snapshot JSON": {@code pid}, {@code startedAt},
 * {@code capturedAt}, {@code dropped} and {@code callSites[]} with {@code site}, {@code kind}, {@code op},
 * {@code target}, {@code count}, {@code bytes}, {@code latencyNanos{p50,p90,p99,p999,max}} and {@code pattern}, plus
 * {@code latencyBuckets[]} (the non-empty histogram buckets: {@code fromNanos}, {@code toNanos} exclusive, {@code count}),
 * and for file reads {@code distinctBytes} (estimated distinct bytes read, whole 4 KiB blocks, at most {@code bytes};
 * see {@link dev.hotpath.agent.bootstrap.DistinctBlocks}) with {@code distinctSaturated:true} when that is only a lower
 * bound.
 * Call sites are ordered by count, then bytes (descending), then site; keys without operations are left out.
 */
public final class SnapshotJson {
    private SnapshotJson() {
    }

    public static String render(long pid, long startedAtMillis, long capturedAtMillis, long dropped,
                                SiteCounter[] counters) {
        List<Row> rows = new ArrayList<>();
        for (SiteCounter c : counters) {
            long count = c.count();
            if (count > 0) {
                rows.add(new Row(c, count, c.bytes()));
            }
        }
        rows.sort(Comparator.comparingLong((Row r) -> -r.count).thenComparingLong(r -> -r.bytes)
                .thenComparing(r -> r.c.site).thenComparing(r -> r.c.target).thenComparingInt(r -> r.c.op));
        StringBuilder sb = new StringBuilder(256 + rows.size() * 256);
        sb.append("{\"pid\":").append(pid)
                .append(",\"startedAt\":\"").append(Instant.ofEpochMilli(startedAtMillis)).append('"')
                .append(",\"capturedAt\":\"").append(Instant.ofEpochMilli(capturedAtMillis)).append('"')
                .append(",\"dropped\":").append(dropped)
                .append(",\"callSites\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            SiteCounter c = r.c;
            long[] h = c.histogram();
            long max = c.maxNanos();
            if (i > 0) {
                sb.append(',');
            }
            sb.append("\n{\"site\":");
            string(sb, c.site);
            sb.append(",\"kind\":\"").append(Ops.kindName(c.kind)).append('"');
            sb.append(",\"op\":\"").append(Ops.opName(c.op)).append('"');
            sb.append(",\"target\":");
            string(sb, c.target);
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
            long distinct = c.distinctBytes();
            if (distinct >= 0) {
                sb.append(",\"distinctBytes\":").append(distinct);
                if (c.distinctSaturated()) {
                    sb.append(",\"distinctSaturated\":true");
                }
            }
            sb.append('}');
        }
        sb.append("]}\n");
        return sb.toString();
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

    private static final class Row {
        final SiteCounter c;
        final long count;
        final long bytes;

        Row(SiteCounter c, long count, long bytes) {
            this.c = c;
            this.count = count;
            this.bytes = bytes;
        }
    }

}
