package dev.hotpath.samples.cache;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recent accesses (key, tier, bytes, start and end time, the request head) for the "recent accesses" figures of the
 * metrics endpoint and for tracing a slow request back to its client. Records older than the window are pruned on
 * every insert, and at most {@value #MAX_RECENT} are kept. The request head is kept in the {@value Cache#MAX_REQUEST_HEAD}-byte buffer it was captured in
 * (the largest head the cache accepts), so each record costs about 8 KiB: bounded, that is at most about 1 MiB.
 *
 * <p>Planted fault {@code heap-leak}: the pruning step is skipped, so the index keeps every access ever made —
 * an index that is never pruned, growing by about 8 KiB per request, retained from {@code ReadCache.accessIndex}.
 */
final class AccessIndex {
    static final class AccessRecord {
        final String key;
        final String tier;
        final long bytes;
        final long startNanos;
        final long timeMillis;
        final byte[] requestHead;

        AccessRecord(String key, String tier, long bytes, long startNanos, long timeMillis, byte[] requestHead) {
            this.key = key;
            this.tier = tier;
            this.bytes = bytes;
            this.startNanos = startNanos;
            this.timeMillis = timeMillis;
            this.requestHead = requestHead;
        }
    }

    /** At most this many recent accesses are kept (about 1 MiB), whatever the request rate. */
    static final int MAX_RECENT = 128;

    private final long windowMillis;
    private final boolean prune;
    private final Map<String, AccessRecord> byRequestId = new HashMap<>();
    private final ArrayDeque<String> order = new ArrayDeque<>();
    private long sequence;

    AccessIndex(long windowMillis, boolean prune) {
        this.windowMillis = windowMillis;
        this.prune = prune;
    }

    /** {@code startNanos}: when the request began (System.nanoTime); {@code nowMillis}: when it was answered. */
    synchronized void record(String key, String tier, long bytes, long startNanos, long nowMillis, byte[] requestHead) {
        String id = key + "#" + (++sequence);
        byRequestId.put(id, new AccessRecord(key, tier, bytes, startNanos, nowMillis, requestHead));
        order.addLast(id);
        if (prune) {
            while (!order.isEmpty()) {
                AccessRecord oldest = byRequestId.get(order.peekFirst());
                if (oldest != null && oldest.timeMillis >= nowMillis - windowMillis && order.size() <= MAX_RECENT) {
                    break;
                }
                byRequestId.remove(order.pollFirst());
            }
        }
    }

    synchronized int size() {
        return byRequestId.size();
    }

    /** Accesses within the window ending at {@code nowMillis}, per tier. */
    synchronized Map<String, Long> recentByTier(long nowMillis) {
        Map<String, Long> out = new HashMap<>();
        for (AccessRecord r : byRequestId.values()) {
            if (r.timeMillis >= nowMillis - windowMillis) {
                out.merge(r.tier, 1L, Long::sum);
            }
        }
        return out;
    }
}
