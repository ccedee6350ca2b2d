package dev.hotpath.analyzer.io;

/**
 * One non-empty bucket of a call site's latency histogram as the agent snapshot carries it: the operations whose
 * latency was at least {@code fromNanos} and below {@code toNanos} (the agent's log-linear buckets, each at most 25%
 * wide).
 */
public record IoLatencyBucket(long fromNanos, long toNanos, long count) {
}
