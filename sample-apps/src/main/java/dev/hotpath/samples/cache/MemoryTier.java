package dev.hotpath.samples.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tier 1: object bodies on the heap, bounded in bytes. Evicted objects are returned so the caller can demote them. */
final class MemoryTier {
    private final long capacity;
    private final EvictionPolicy policy;
    private final Map<String, CachedObject> objects = new HashMap<>();
    private long bytes;
    private long evictions;

    MemoryTier(long capacity, EvictionPolicy policy) {
        this.capacity = capacity;
        this.policy = policy;
    }

    synchronized CachedObject get(String key) {
        CachedObject o = objects.get(key);
        if (o != null) {
            policy.onHit(key);
        }
        return o;
    }

    synchronized boolean contains(String key) {
        return objects.containsKey(key);
    }

    /** Inserts and returns what had to leave to make room. Objects larger than the tier are not kept. */
    synchronized List<Map.Entry<String, CachedObject>> put(String key, CachedObject o) {
        List<Map.Entry<String, CachedObject>> evicted = new ArrayList<>();
        if (o.data().length > capacity) {
            return evicted;
        }
        remove(key);
        objects.put(key, o);
        policy.onInsert(key, o.data().length);
        bytes += o.data().length;
        while (bytes > capacity) {
            String victim = policy.evict();
            if (victim == null) {
                break;
            }
            CachedObject v = objects.remove(victim);
            if (v != null) {
                bytes -= v.data().length;
                evictions++;
                evicted.add(Map.entry(victim, v));
            }
        }
        return evicted;
    }

    synchronized void remove(String key) {
        CachedObject old = objects.remove(key);
        if (old != null) {
            bytes -= old.data().length;
            policy.onRemove(key);
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int entries() {
        return objects.size();
    }

    synchronized long evictions() {
        return evictions;
    }
}
