package dev.hotpath.samples.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Tier 2: object bodies as files in a local directory (named by the SHA-1 of the key), bounded in bytes. The
 * index lives in memory; file I/O happens outside the lock, so a read can lose a race with an eviction and then
 * counts as a miss.
 */
final class DiskTier {
    private record Entry(long size, String etag, Path file) {
    }

    private final Path dir;
    private final long capacity;
    private final EvictionPolicy policy;
    private final Map<String, Entry> index = new HashMap<>();
    private long bytes;
    private long evictions;

    DiskTier(Path dir, long capacity, EvictionPolicy policy) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.capacity = capacity;
        this.policy = policy;
    }

    CachedObject get(String key) throws IOException {
        Entry e;
        synchronized (this) {
            e = index.get(key);
            if (e == null) {
                return null;
            }
            policy.onHit(key);
        }
        try {
            return new CachedObject(Files.readAllBytes(e.file), e.etag);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    synchronized boolean contains(String key) {
        return index.containsKey(key);
    }

    void put(String key, CachedObject o) throws IOException {
        if (o.data().length > capacity) {
            return;
        }
        Path file = dir.resolve(fileName(key));
        Path tmp = Files.createTempFile(dir, "in-", ".tmp");
        Files.write(tmp, o.data());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        synchronized (this) {
            Entry old = index.put(key, new Entry(o.data().length, o.etag(), file));
            if (old != null) {
                bytes -= old.size;
                policy.onRemove(key);
            }
            policy.onInsert(key, o.data().length);
            bytes += o.data().length;
            while (bytes > capacity) {
                String victim = policy.evict();
                if (victim == null) {
                    break;
                }
                Entry v = index.remove(victim);
                if (v != null) {
                    bytes -= v.size;
                    evictions++;
                    Files.deleteIfExists(v.file);
                }
            }
        }
    }

    synchronized void remove(String key) throws IOException {
        Entry old = index.remove(key);
        if (old != null) {
            bytes -= old.size;
            policy.onRemove(key);
            Files.deleteIfExists(old.file);
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int entries() {
        return index.size();
    }

    synchronized long evictions() {
        return evictions;
    }

    private static String fileName(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
