package dev.hotpath.samples.cache;

import com.sun.net.httpserver.HttpExchange;
import dev.hotpath.samples.common.Exchanges;
import dev.hotpath.samples.common.Fault;
import dev.hotpath.samples.common.OriginClient;
import dev.hotpath.samples.common.RangeSpec;
import dev.hotpath.samples.common.HttpService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cache as an HTTP front of the gateway, path-style like it: GET (with Range, answered from the cached whole
 * object) goes through the tiers; every other method is proxied to the origin, and PUT/DELETE invalidate the key
 * first. Responses carry {@code X-Cache: memory|disk|origin}. {@code GET /_hotpath/metrics} serves hit ratio,
 * bytes saved, prefetch and tier figures as JSON.
 */
public final class Cache implements AutoCloseable {
    /** The largest request head (request line and headers) the cache accepts; heads are captured in a buffer this big. */
    static final int MAX_REQUEST_HEAD = 8 * 1024;

    private final HttpService http;
    private final ReadCache cache;
    private final OriginClient origin;
    private final Set<Fault> faults;

    private Cache(Options o) throws IOException {
        this.faults = o.faults;
        this.origin = new OriginClient(o.originUrl);
        this.cache = new ReadCache(origin, o.memBytes, o.diskBytes, o.diskDir, o.policy, o.prefetchDepth, o.faults);
        ReadCache.active = cache;
        this.http = new HttpService("cache", "127.0.0.1", o.port, o.threads)
                .handle("/", this::handle)
                .handle("/_hotpath/metrics", ex -> Exchanges.sendJson(ex, 200, metrics()));
    }

    /** Settings of one cache; defaults suit the demo. */
    public static final class Options {
        public String originUrl;
        public int port;
        public int threads = 8;
        public long memBytes = 64L << 20;
        public long diskBytes = 256L << 20;
        public Path diskDir;
        public String policy = "s3fifo";
        public int prefetchDepth = 2;
        public Set<Fault> faults = Set.of();
    }

    public static Cache start(Options o) throws IOException {
        Cache c = new Cache(o);
        c.http.start();
        return c;
    }

    public int port() {
        return http.port();
    }

    public String url() {
        return http.baseUrl();
    }

    HttpService http() {
        return http;
    }

    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", "cache");
        List<String> f = new ArrayList<>();
        for (Fault x : faults) {
            f.add(x.id());
        }
        m.put("faults", f);
        m.putAll(cache.metrics());
        return m;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            boolean objectPath = path.indexOf('/', 1) > 0 && !path.endsWith("/");
            if ("GET".equals(method) && objectPath && ex.getRequestURI().getRawQuery() == null) {
                serve(ex, path);
            } else {
                proxy(ex, path, objectPath && ("PUT".equals(method) || "DELETE".equals(method)));
            }
        } catch (OriginClient.OriginStatus s) {
            reply(ex, s.response);
        } catch (IOException | RuntimeException e) {
            Exchanges.sendText(ex, 502, "cache: origin unavailable: " + e.getMessage() + "\n");
        } finally {
            ex.close();
        }
    }

    private void serve(HttpExchange ex, String path) throws IOException {
        ReadCache.Lookup l = cache.get(path, requestHead(ex));
        byte[] data = l.object().data();
        var rsp = ex.getResponseHeaders();
        rsp.set("Content-Type", "binary/octet-stream");
        rsp.set("Accept-Ranges", "bytes");
        rsp.set("X-Cache", l.tier());
        if (l.object().etag() != null) {
            rsp.set("ETag", l.object().etag());
        }
        int start = 0;
        int length = data.length;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            long[] r = RangeSpec.parse(range, data.length);
            if (r != null && r[0] < 0) {
                rsp.set("Content-Range", "bytes */" + data.length);
                Exchanges.sendText(ex, 416, "requested range not satisfiable\n");
                return;
            }
            if (r != null) {
                start = (int) r[0];
                length = (int) (r[1] - r[0] + 1);
                status = 206;
                rsp.set("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + data.length);
            }
        }
        if (length == 0) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(data, start, length);
        }
    }

    /**
     * The request line and headers in a {@value #MAX_REQUEST_HEAD}-byte buffer, as kept by the access index (a head
     * that does not fit is cut; the rest of the buffer stays zero).
     */
    private static byte[] requestHead(HttpExchange ex) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(ex.getRequestMethod()).append(' ').append(ex.getRequestURI()).append('\n');
        ex.getRequestHeaders().forEach((k, v) -> sb.append(k).append(": ").append(String.join(",", v)).append('\n'));
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = new byte[MAX_REQUEST_HEAD];
        System.arraycopy(text, 0, head, 0, Math.min(text.length, head.length));
        return head;
    }

    private void proxy(HttpExchange ex, String path, boolean invalidate) throws IOException {
        if (invalidate) {
            cache.invalidate(path);
        }
        byte[] body = Exchanges.readBody(ex);
        List<String> headers = new ArrayList<>();
        for (String h : new String[] {"Content-Type", "Content-MD5", "If-Match", "If-None-Match", "Range",
                "x-amz-content-sha256", "x-amz-decoded-content-length", "Content-Encoding"}) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                headers.add(h);
                headers.add(v);
            }
        }
        String method = ex.getRequestMethod();
        String target = path + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        HttpResponse<byte[]> r = origin.send(method, target, body.length == 0 && !"PUT".equals(method) ? null : body,
                headers.toArray(new String[0]));
        if (invalidate) {
            cache.invalidate(path); // a GET racing the write may have re-filled the old version
        }
        reply(ex, r);
    }

    private static void reply(HttpExchange ex, HttpResponse<byte[]> r) throws IOException {
        for (String h : new String[] {"ETag", "Content-Type", "Content-Range", "Last-Modified", "Accept-Ranges",
                "x-amz-request-id", "Retry-After"}) {
            r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().set(h, v));
        }
        if ("HEAD".equals(ex.getRequestMethod())) {
            r.headers().firstValue("Content-Length").ifPresent(v -> ex.getResponseHeaders().set("Content-Length", v));
            ex.sendResponseHeaders(r.statusCode(), -1);
            return;
        }
        Exchanges.send(ex, r.statusCode(), null, r.body());
    }

    @Override
    public void close() {
        http.close();
        cache.close();
    }
}
