package dev.hotpath.analyzer.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One call site of an agent snapshot (DESIGN.md, "Agent snapshot JSON"): site x kind x op x target with its count,
 * bytes actually transferred, latency percentiles in nanoseconds and access pattern; {@code latencyBuckets} are the
 * histogram's non-empty buckets, ascending (empty when the snapshot predates them). {@code distinctBytes} is the
 * agent's estimate of the distinct bytes a file-read key read (whole 4 KiB blocks, at most {@code bytes}), -1 when the
 * snapshot has none (other keys, older agents); {@code distinctSaturated} says it is only a lower bound.
 */
public record IoCallSite(String site, String kind, String op, String target, long count, long bytes,
                         long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos, String pattern,
                         List<IoLatencyBucket> latencyBuckets, long distinctBytes, boolean distinctSaturated) {
    public IoCallSite {
        latencyBuckets = latencyBuckets == null ? List.of() : List.copyOf(latencyBuckets);
        if (distinctBytes < 0) {
            distinctBytes = -1;
            distinctSaturated = false;
        }
    }

    /** A call site without a distinct-bytes estimate. */
    public IoCallSite(String site, String kind, String op, String target, long count, long bytes,
                      long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos, String pattern,
                      List<IoLatencyBucket> latencyBuckets) {
        this(site, kind, op, target, count, bytes, p50Nanos, p90Nanos, p99Nanos, p999Nanos, maxNanos, pattern,
                latencyBuckets, -1, false);
    }

    public IoCallSite(String site, String kind, String op, String target, long count, long bytes,
                      long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos, String pattern) {
        this(site, kind, op, target, count, bytes, p50Nanos, p90Nanos, p99Nanos, p999Nanos, maxNanos, pattern, List.of());
    }

    public boolean isFile() {
        return "file".equals(kind);
    }

    public boolean isSocket() {
        return "socket".equals(kind);
    }

    /**
     * The agent's name for what it folded past {@code maxSites}: the target of a site's folded targets, and the site of
     * the one key for sites it did not name.
     */
    public static final String FOLDED = "(other)";

    /**
     * True for the key of a site's targets the agent folded past {@code maxSites}: any number of targets, not one.
     */
    public boolean isFolded() {
        return FOLDED.equals(target);
    }

    /** True when the agent estimated the distinct bytes read and the estimate is not only a lower bound. */
    public boolean hasDistinctEstimate() {
        return distinctBytes >= 0 && !distinctSaturated;
    }

    public double avgBytes() {
        return count == 0 ? 0 : (double) bytes / count;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("site", site);
        m.put("kind", kind);
        m.put("op", op);
        m.put("target", target);
        m.put("count", count);
        m.put("bytes", bytes);
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("p50", p50Nanos);
        l.put("p90", p90Nanos);
        l.put("p99", p99Nanos);
        l.put("p999", p999Nanos);
        l.put("max", maxNanos);
        m.put("latencyNanos", l);
        m.put("pattern", pattern);
        if (!latencyBuckets.isEmpty()) {
            List<Object> buckets = new ArrayList<>(latencyBuckets.size());
            for (IoLatencyBucket b : latencyBuckets) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("fromNanos", b.fromNanos());
                e.put("toNanos", b.toNanos());
                e.put("count", b.count());
                buckets.add(e);
            }
            m.put("latencyBuckets", buckets);
        }
        if (distinctBytes >= 0) {
            m.put("distinctBytes", distinctBytes);
            if (distinctSaturated) {
                m.put("distinctSaturated", true);
            }
        }
        return m;
    }
}
