package dev.hotpath.samples.cache;

/**
 * Chooses victims for one cache tier. Not thread-safe: the owning tier calls it under its lock. Sizes are bytes;
 * the tier evicts (calls {@link #evict}) until its bytes fit its capacity.
 */
interface EvictionPolicy {
    void onInsert(String key, long size);

    void onHit(String key);

    /** Forgets and returns the next victim, or null when empty. */
    String evict();

    void onRemove(String key);

    String name();

    static EvictionPolicy create(String name, long capacityBytes) {
        return switch (name) {
            case "lru" -> new LruPolicy();
            case "s3fifo", "s3-fifo" -> new S3FifoPolicy(capacityBytes);
            default -> throw new dev.hotpath.samples.common.Args.UsageException(
                    "unknown cache policy '" + name + "' (lru or s3fifo)");
        };
    }
}
