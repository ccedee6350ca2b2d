package dev.hotpath.samples.cache;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recent accesses (key, tier, bytes, time, a copy of the request's identifying headers) for the "accesses in the
 * last minute" figures of the metrics endpoint. Records older than the window are pruned on every insert.
 *
 * <p>Planted fault {@code heap-leak}: the pruning step is skipped, so the index keeps every access ever made —
 * an index that is never pruned, growing with request count, retained from {@code ReadCache.accessIndex}.
 */
final class AccessIndex {
    static final class AccessRecord {
        final String key;
        final String tier;
        final long bytes;
        final long timeMillis;
        final byte[] requestHeaders;

        AccessRecord(String key, String tier, long bytes, long timeMillis, byte[] requestHeaders) {
            this.key = key;
            this.tier = tier;
            this.bytes = bytes;
            this.timeMillis = timeMillis;
            this.requestHeaders = requestHeaders;
        }
    }

    private final long windowMillis;
    private final boolean prune;
    private final Map<String, AccessRecord> byRequestId = new HashMap<>();
    private final ArrayDeque<String> order = new ArrayDeque<>();
    private long sequence;

    AccessIndex(long windowMillis, boolean prune) {
        this.windowMillis = windowMillis;
        this.prune = prune;
    }

    synchronized void record(String key, String tier, long bytes, long nowMillis, byte[] requestHeaders) {
        String id = key + "#" + (++sequence);
        byRequestId.put(id, new AccessRecord(key, tier, bytes, nowMillis, requestHeaders));
        order.addLast(id);
        if (prune) {
            while (!order.isEmpty()) {
                AccessRecord oldest = byRequestId.get(order.peekFirst());
                if (oldest != null && oldest.timeMillis >= nowMillis - windowMillis) {
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
