package dev.hotpath.agent.export;

import dev.hotpath.agent.bootstrap.LatencyBuckets;
import dev.hotpath.agent.bootstrap.Ops;
import dev.hotpath.agent.bootstrap.SiteCounter;

/**
 * Prometheus text exposition (format 0.0.4) of the recorder's counters:
 * {@code hotpath_io_operations_total}, {@code hotpath_io_bytes_total}, {@code hotpath_io_errors_total} and the
 * histogram {@code hotpath_io_latency_seconds} ({@code _bucket{le}}, {@code _sum}, {@code _count}), each labelled
 * {@code kind, op, site, target}; the gauge {@code hotpath_io_distinct_bytes} on file-read keys (the snapshot's
 * {@code distinctBytes}: estimated distinct bytes read, whole 4 KiB blocks, at most the key's bytes in the same scrape;
 * a lower bound when the snapshot says {@code distinctSaturated}); plus {@code hotpath_io_dropped_operations_total}.
 * Bucket bounds are the powers of two
 * from 2^10 ns (~1 us) to 2^34 ns (~17 s), which are bucket boundaries of the recorder's histogram, so the cumulative
 * counts are exact for "faster than the bound".
 */
public final class PrometheusText {
    static final int FIRST_POW = 10;
    static final int LAST_POW = 34;

    private PrometheusText() {
    }

    public static String render(SiteCounter[] counters, long dropped) {
        StringBuilder ops = new StringBuilder();
        StringBuilder bytes = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        StringBuilder latency = new StringBuilder();
        StringBuilder distinct = new StringBuilder();
        for (SiteCounter c : counters) {
            long count = c.count();
            if (count == 0) {
                continue;
            }
            String labels = labels(c);
            long b = c.bytes();
            ops.append("hotpath_io_operations_total{").append(labels).append("} ").append(count).append('\n');
            bytes.append("hotpath_io_bytes_total{").append(labels).append("} ").append(b).append('\n');
            long d = c.distinctBytes(b);
            if (d >= 0) {
                distinct.append("hotpath_io_distinct_bytes{").append(labels).append("} ").append(d).append('\n');
            }
            errors.append("hotpath_io_errors_total{").append(labels).append("} ").append(c.errors()).append('\n');
            long[] h = c.histogram();
            long total = 0;
            int next = 0;
            for (int pow = FIRST_POW; pow <= LAST_POW; pow++) {
                int boundaryIndex = LatencyBuckets.index(1L << pow);
                while (next < boundaryIndex) {
                    total += h[next++];
                }
                latency.append("hotpath_io_latency_seconds_bucket{").append(labels).append(",le=\"")
                        .append(seconds(1L << pow)).append("\"} ").append(total).append('\n');
            }
            while (next < h.length) {
                total += h[next++];
            }
            latency.append("hotpath_io_latency_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
                    .append(total).append('\n');
            latency.append("hotpath_io_latency_seconds_sum{").append(labels).append("} ")
                    .append(c.sumNanos() / 1e9).append('\n');
            latency.append("hotpath_io_latency_seconds_count{").append(labels).append("} ").append(total).append('\n');
        }
        StringBuilder sb = new StringBuilder(ops.length() + bytes.length() + errors.length() + latency.length()
                + distinct.length() + 1024);
        sb.append("# HELP hotpath_io_operations_total I/O operations per call site, kind, op and target.\n");
        sb.append("# TYPE hotpath_io_operations_total counter\n").append(ops);
        sb.append("# HELP hotpath_io_bytes_total Bytes actually transferred.\n");
        sb.append("# TYPE hotpath_io_bytes_total counter\n").append(bytes);
        sb.append("# HELP hotpath_io_errors_total Operations that threw.\n");
        sb.append("# TYPE hotpath_io_errors_total counter\n").append(errors);
        sb.append("# HELP hotpath_io_latency_seconds Latency of each operation.\n");
        sb.append("# TYPE hotpath_io_latency_seconds histogram\n").append(latency);
        sb.append("# HELP hotpath_io_distinct_bytes Estimated distinct bytes a file-read key read (whole 4 KiB blocks;"
                + " a lower bound when the snapshot says distinctSaturated).\n");
        sb.append("# TYPE hotpath_io_distinct_bytes gauge\n").append(distinct);
        sb.append("# HELP hotpath_io_dropped_operations_total Operations folded into the (other) site by maxSites.\n");
        sb.append("# TYPE hotpath_io_dropped_operations_total counter\n");
        sb.append("hotpath_io_dropped_operations_total ").append(dropped).append('\n');
        return sb.toString();
    }

    static String seconds(long nanos) {
        return java.math.BigDecimal.valueOf(nanos).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    private static String labels(SiteCounter c) {
        StringBuilder sb = new StringBuilder(64 + c.site.length() + c.target.length());
        sb.append("kind=\"").append(Ops.kindName(c.kind)).append("\",op=\"").append(Ops.opName(c.op))
                .append("\",site=\"");
        escape(sb, c.site);
        sb.append("\",target=\"");
        escape(sb, c.target);
        return sb.append('"').toString();
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                sb.append("\\\\");
            } else if (ch == '"') {
                sb.append("\\\"");
            } else if (ch == '\n') {
                sb.append("\\n");
            } else {
                sb.append(ch);
            }
        }
    }
}
