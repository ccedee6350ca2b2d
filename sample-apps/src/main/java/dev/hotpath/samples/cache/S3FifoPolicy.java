package dev.hotpath.samples.cache;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * S3-FIFO (Yang et al., SOSP '23): a small FIFO (10% of the bytes) filters one-hit wonders, a main FIFO with
 * 2-bit frequency counters and reinsertion holds the rest, and a ghost FIFO of keys evicted from the small queue
 * sends returning keys straight to main. A sequential scan passes through the small queue without displacing the
 * working set in main — the scan resistance LRU lacks.
 */
final class S3FifoPolicy implements EvictionPolicy {
    private static final int MAX_FREQ = 3;

    private static final class Entry {
        final long size;
        int freq;
        boolean inMain;

        Entry(long size, boolean inMain) {
            this.size = size;
            this.inMain = inMain;
        }
    }

    private final long smallTarget;
    private final Map<String, Entry> entries = new HashMap<>();
    private final ArrayDeque<String> small = new ArrayDeque<>();
    private final ArrayDeque<String> main = new ArrayDeque<>();
    private final LinkedHashSet<String> ghost = new LinkedHashSet<>();
    private final int ghostLimit = 4096;
    private long smallBytes;

    S3FifoPolicy(long capacityBytes) {
        this.smallTarget = Math.max(1, capacityBytes / 10);
    }

    @Override
    public void onInsert(String key, long size) {
        boolean toMain = ghost.remove(key);
        Entry e = new Entry(size, toMain);
        entries.put(key, e);
        if (toMain) {
            main.addFirst(key);
        } else {
            small.addFirst(key);
            smallBytes += size;
        }
    }

    @Override
    public void onHit(String key) {
        Entry e = entries.get(key);
        if (e != null && e.freq < MAX_FREQ) {
            e.freq++;
        }
    }

    @Override
    public String evict() {
        while (!entries.isEmpty() && !(small.isEmpty() && main.isEmpty())) {
            boolean fromSmall = !small.isEmpty() && (smallBytes >= smallTarget || main.isEmpty());
            String victim = fromSmall ? evictSmall() : evictMain();
            if (victim != null) {
                return victim;
            }
        }
        return null;
    }

    /** Tail of small: promoted to main if it was hit (freq > 0 here, the paper's "accessed again"), else ghosted. */
    private String evictSmall() {
        String key;
        while ((key = small.pollLast()) != null) {
            Entry e = entries.get(key);
            if (e == null || e.inMain) {
                continue; // removed meanwhile
            }
            smallBytes -= e.size;
            if (e.freq > 0) {
                e.inMain = true;
                e.freq = 0;
                main.addFirst(key);
                return null; // re-evaluate which queue to evict from
            }
            entries.remove(key);
            ghost.add(key);
            if (ghost.size() > ghostLimit) {
                ghost.remove(ghost.iterator().next());
            }
            return key;
        }
        return null;
    }

    private String evictMain() {
        String key;
        while ((key = main.pollLast()) != null) {
            Entry e = entries.get(key);
            if (e == null || !e.inMain) {
                continue;
            }
            if (e.freq > 0) {
                e.freq--;
                main.addFirst(key);
                continue;
            }
            entries.remove(key);
            return key;
        }
        return null;
    }

    @Override
    public void onRemove(String key) {
        Entry e = entries.remove(key);
        if (e != null && !e.inMain) {
            smallBytes -= e.size;
        }
        // the key stays in its deque and is skipped when reached
    }

    @Override
    public String name() {
        return "s3fifo";
    }
}
