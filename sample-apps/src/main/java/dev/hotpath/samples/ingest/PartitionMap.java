package dev.hotpath.samples.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes events to partitions by key prefix and splits hot partitions. A key's base partition is the key up to and
 * including its first '/' (or its first two characters); a partition that received more than
 * {@code splitThreshold} events in one rebalance window is split into children one character longer (at most
 * {@code maxDepth} extra characters), and its open buffer is sealed so that its data stays in order.
 *
 * <p>Locking: normally each partition is its own lock and compression happens later on uploader threads. Planted
 * fault {@code lock-contention}: every append synchronizes on this map — one global lock — and a full partition is
 * compressed inline while that lock is held, so all producers queue behind one compression.
 */
final class PartitionMap {
    interface Sink {
        void accept(Segment s) throws InterruptedException;
    }

    private final ConcurrentHashMap<String, Partition> partitions = new ConcurrentHashMap<>();
    private final Set<String> split = ConcurrentHashMap.newKeySet();
    private final boolean globalLock;
    private final int segmentBytes;
    private final long splitThreshold;
    private final int maxDepth;
    private final CompressorPool compressor;
    private final IngestMetrics metrics;
    private final Sink sink;

    PartitionMap(boolean globalLock, int segmentBytes, long splitThreshold, int maxDepth, CompressorPool compressor,
                 IngestMetrics metrics, Sink sink) {
        this.globalLock = globalLock;
        this.segmentBytes = segmentBytes;
        this.splitThreshold = splitThreshold;
        this.maxDepth = maxDepth;
        this.compressor = compressor;
        this.metrics = metrics;
        this.sink = sink;
    }

    /** The monitor that guards appends to {@code partitionId}: the partition, or this map under lock-contention. */
    Object lockFor(String partitionId) {
        return globalLock ? this : partitions.computeIfAbsent(partitionId, id -> new Partition(id, 4096));
    }

    String route(String key) {
        int slash = key.indexOf('/');
        String p = slash >= 0 ? key.substring(0, slash + 1) : key.substring(0, Math.min(2, key.length()));
        int base = p.length();
        while (split.contains(p) && p.length() < key.length() && p.length() - base < maxDepth) {
            p = key.substring(0, p.length() + 1);
        }
        return p;
    }

    /** Appends one event line (without its newline); {@code key} is its routing key. */
    void append(String key, byte[] line, int off, int len) throws InterruptedException {
        if (globalLock) {
            synchronized (this) {
                Partition p = partitions.computeIfAbsent(route(key), id -> new Partition(id, 4096));
                p.append(line, off, len);
                if (p.length() >= segmentBytes) {
                    Segment s = p.seal();
                    s.compressed = compressor.compress(s.raw, s.rawLength); // under the global lock
                    metrics.compressionsUnderGlobalLock.increment();
                    sink.accept(s);
                }
            }
            return;
        }
        while (true) {
            Partition p = partitions.computeIfAbsent(route(key), id -> new Partition(id, 4096));
            Segment sealed = null;
            synchronized (p) {
                if (partitions.get(p.id) != p) {
                    continue; // split away meanwhile: route again
                }
                p.append(line, off, len);
                if (p.length() >= segmentBytes) {
                    sealed = p.seal();
                }
            }
            if (sealed != null) {
                sink.accept(sealed);
            }
            return;
        }
    }

    /** Splits partitions that were hot in the window just ended and resets the window counters. */
    void rebalance() throws InterruptedException {
        for (Partition p : new ArrayList<>(partitions.values())) {
            Segment sealed = null;
            Object lock = globalLock ? this : p;
            synchronized (lock) {
                boolean hot = p.windowEvents > splitThreshold;
                p.windowEvents = 0;
                int depth = p.id.length() - baseLength(p.id);
                if (hot && depth < maxDepth && !split.contains(p.id)) {
                    split.add(p.id);
                    partitions.remove(p.id, p);
                    metrics.splits.increment();
                    if (!p.isEmpty()) {
                        sealed = p.seal();
                    }
                }
            }
            if (sealed != null) {
                sink.accept(sealed);
            }
        }
    }

    private static int baseLength(String id) {
        int slash = id.indexOf('/');
        return slash >= 0 ? slash + 1 : Math.min(2, id.length());
    }

    /** Seals every non-empty partition (flush on demand and at shutdown). */
    void sealAll() throws InterruptedException {
        for (Partition p : new ArrayList<>(partitions.values())) {
            Segment s = null;
            synchronized (globalLock ? this : p) {
                if (!p.isEmpty()) {
                    s = p.seal();
                }
            }
            if (s != null) {
                sink.accept(s);
            }
        }
    }

    int size() {
        return partitions.size();
    }

    List<String> ids() {
        List<String> ids = new ArrayList<>(partitions.keySet());
        ids.sort(null);
        return ids;
    }

    /** Object-name-safe form of a partition id: [A-Za-z0-9.-] kept, anything else as _XX (UTF-8 hex). */
    static String encode(String partition) {
        StringBuilder sb = new StringBuilder();
        for (byte b : partition.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
                sb.append(c);
            } else {
                sb.append('_').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
