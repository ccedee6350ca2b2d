package dev.hotpath.samples.ingest;

import dev.hotpath.samples.common.OriginClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One lease per partition, stored as an object {@code <bucket>/leases/<partition>} in the gateway and changed only
 * with conditional writes: create with {@code If-None-Match: *}, renew or take over an expired lease with
 * {@code If-Match: <etag>}. The gateway serializes commits of a key, so exactly one instance wins each race and two
 * instances never hold (and write) the same partition at once.
 *
 * <p>Body: {@code owner=<instance>\nexpires=<epochMillis>\n}. Held leases are renewed when less than half their TTL
 * remains and released (deleted with If-Match) on shutdown.
 */
final class LeaseManager {
    private record Held(String etag, long expires) {
    }

    private final OriginClient gateway;
    private final String bucket;
    private final String owner;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    LeaseManager(OriginClient gateway, String bucket, String owner, long ttlMillis, LongSupplier clock) {
        this.gateway = gateway;
        this.bucket = bucket;
        this.owner = owner;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    String path(String partition) {
        return "/" + bucket + "/leases/" + partition;
    }

    /** True if this instance holds the partition's lease on return. */
    boolean acquire(String partition) throws IOException {
        long now = clock.getAsLong();
        Held h = held.get(partition);
        if (h != null && h.expires - now > ttlMillis / 2) {
            return true;
        }
        if (h != null) {
            if (write(partition, "If-Match", h.etag)) {
                return true;
            }
            held.remove(partition); // lost it (expired and taken over)
        }
        if (write(partition, "If-None-Match", "*")) {
            return true;
        }
        HttpResponse<byte[]> cur = gateway.send("GET", path(partition), null);
        if (cur.statusCode() == 404) {
            return write(partition, "If-None-Match", "*");
        }
        if (cur.statusCode() != 200) {
            throw new IOException("lease read of " + partition + " answered " + cur.statusCode());
        }
        String body = new String(cur.body(), StandardCharsets.UTF_8);
        String curOwner = field(body, "owner");
        long expires = Long.parseLong(field(body, "expires"));
        String etag = cur.headers().firstValue("ETag").orElse("");
        if (owner.equals(curOwner) || expires < now) {
            return write(partition, "If-Match", etag);
        }
        return false;
    }

    private boolean write(String partition, String condition, String value) throws IOException {
        long expires = clock.getAsLong() + ttlMillis;
        byte[] body = ("owner=" + owner + "\nexpires=" + expires + "\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = gateway.send("PUT", path(partition), body, condition, value);
        if (r.statusCode() == 200) {
            held.put(partition, new Held(r.headers().firstValue("ETag").orElse(""), expires));
            return true;
        }
        if (r.statusCode() == 412 || r.statusCode() == 404) {
            return false;
        }
        throw new IOException("lease write of " + partition + " answered " + r.statusCode());
    }

    /** The current owner recorded in the gateway, or null if there is no lease object. */
    String ownerOf(String partition) throws IOException {
        HttpResponse<byte[]> cur = gateway.send("GET", path(partition), null);
        return cur.statusCode() == 200 ? field(new String(cur.body(), StandardCharsets.UTF_8), "owner") : null;
    }

    int heldCount() {
        return held.size();
    }

    void releaseAll() {
        for (Map.Entry<String, Held> e : held.entrySet()) {
            try {
                gateway.send("DELETE", path(e.getKey()), null, "If-Match", e.getValue().etag);
            } catch (IOException ignored) {
                // the lease expires on its own
            }
        }
        held.clear();
    }

    private static String field(String body, String name) {
        for (String line : body.split("\n")) {
            if (line.startsWith(name + "=")) {
                return line.substring(name.length() + 1);
            }
        }
        return "";
    }
}
