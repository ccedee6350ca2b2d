package dev.hotpath.samples.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;

/** Least recently used: an access-ordered LinkedHashMap; the eldest entry is the victim. */
final class LruPolicy implements EvictionPolicy {
    private final LinkedHashMap<String, Long> order = new LinkedHashMap<>(256, 0.75f, true);

    @Override
    public void onInsert(String key, long size) {
        order.put(key, size);
    }

    @Override
    public void onHit(String key) {
        order.get(key);
    }

    @Override
    public String evict() {
        Iterator<String> it = order.keySet().iterator();
        if (!it.hasNext()) {
            return null;
        }
        String victim = it.next();
        it.remove();
        return victim;
    }

    @Override
    public void onRemove(String key) {
        order.remove(key);
    }

    @Override
    public String name() {
        return "lru";
    }
}
