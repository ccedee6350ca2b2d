package dev.hotpath.samples.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.hotpath.samples.common.Exchanges;
import dev.hotpath.samples.common.RangeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Path-style S3 routing: {@code /} (ListBuckets), {@code /bucket} (create, delete, head, ListObjects v1/v2,
 * multipart initiate is on the object), {@code /bucket/key} (PUT, GET with Range, HEAD, DELETE, multipart).
 * Errors are S3's XML {@code <Error>} documents with S3's codes and statuses; HEAD errors carry no body.
 */
final class S3Handler implements HttpHandler {
    private static final DateTimeFormatter RFC1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final String XML = "application/xml";

    private final ObjectStore store;
    private final ObjectLister lister;
    private final MultipartUploads multipart;
    private final BodyReader reader;
    private final GatewayMetrics metrics;
    private final AtomicLong requestIds = new AtomicLong(System.nanoTime() & 0xffffffL);

    S3Handler(ObjectStore store, MultipartUploads multipart, BodyReader reader, GatewayMetrics metrics) {
        this.store = store;
        this.lister = new ObjectLister(store);
        this.multipart = multipart;
        this.reader = reader;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String requestId = Long.toHexString(requestIds.incrementAndGet()).toUpperCase();
        ex.getResponseHeaders().set("x-amz-request-id", requestId);
        ex.getResponseHeaders().set("Server", "hotpath-gateway");
        String rawPath = ex.getRequestURI().getRawPath();
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        int slash = path.indexOf('/');
        String bucket = Exchanges.decode(slash < 0 ? path : path.substring(0, slash));
        String key = slash < 0 || slash == path.length() - 1 ? null : Exchanges.decode(path.substring(slash + 1));
        try {
            Map<String, String> q = Exchanges.query(ex);
            if (bucket.isEmpty()) {
                serviceRequest(ex);
            } else if (key == null) {
                bucketRequest(ex, bucket, q);
            } else {
                objectRequest(ex, bucket, key, q);
            }
        } catch (S3Exception e) {
            metrics.errors.increment();
            sendError(ex, e, bucket, key, rawPath, requestId);
        } catch (RuntimeException | IOException e) {
            metrics.errors.increment();
            sendError(ex, new S3Exception(500, "InternalError", "We encountered an internal error: " + e),
                    bucket, key, rawPath, requestId);
        } finally {
            ex.close();
        }
    }

    private void sendError(HttpExchange ex, S3Exception e, String bucket, String key, String resource, String id)
            throws IOException {
        drain(ex);
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(e.status, -1);
            return;
        }
        String body = S3Xml.error(e.code, e.getMessage(), bucket.isEmpty() ? null : bucket, key, resource, id);
        Exchanges.send(ex, e.status, XML, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads (not skip()s: the JDK's fixed-length body stream does not bound skip) what is left of the body. */
    private static void drain(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the connection is going away anyway
        }
    }

    private void serviceRequest(HttpExchange ex) throws IOException, S3Exception {
        if (!"GET".equals(ex.getRequestMethod())) {
            throw new S3Exception(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
        Exchanges.send(ex, 200, XML, S3Xml.buckets(store.buckets()).getBytes(StandardCharsets.UTF_8));
    }

    private void bucketRequest(HttpExchange ex, String bucket, Map<String, String> q) throws IOException, S3Exception {
        switch (ex.getRequestMethod()) {
            case "PUT" -> {
                drain(ex);
                store.createBucket(bucket);
                ex.getResponseHeaders().set("Location", "/" + bucket);
                Exchanges.send(ex, 200, null, null);
            }
            case "DELETE" -> {
                store.deleteBucket(bucket);
                Exchanges.send(ex, 204, null, null);
            }
            case "HEAD" -> {
                store.bucketDir(bucket);
                ex.getResponseHeaders().set("x-amz-bucket-region", "us-east-1");
                Exchanges.send(ex, 200, null, null);
            }
            case "GET" -> list(ex, bucket, q);
            default -> throw new S3Exception(405, "MethodNotAllowed",
                    "The specified method is not allowed against this resource.");
        }
    }

    private void list(HttpExchange ex, String bucket, Map<String, String> q) throws IOException, S3Exception {
        metrics.lists.increment();
        if (q.containsKey("location")) {
            store.bucketDir(bucket);
            String body = S3Xml.HEADER + "<LocationConstraint xmlns=\"" + S3Xml.NS + "\"/>";
            Exchanges.send(ex, 200, XML, body.getBytes(StandardCharsets.UTF_8));
            return;
        }
        String prefix = q.getOrDefault("prefix", "");
        String delimiter = q.get("delimiter");
        if (delimiter != null && delimiter.isEmpty()) {
            delimiter = null;
        }
        int maxKeys;
        try {
            maxKeys = Math.min(1000, Integer.parseInt(q.getOrDefault("max-keys", "1000")));
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument("Provided max-keys not an integer or within integer range");
        }
        if (maxKeys < 0) {
            throw S3Exception.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647");
        }
        boolean url = "url".equals(q.get("encoding-type"));
        String body;
        if ("2".equals(q.get("list-type"))) {
            String token = q.get("continuation-token");
            String startAfter = q.get("start-after");
            ObjectLister.Result r = lister.list(bucket, prefix, delimiter, maxKeys, token, startAfter);
            body = S3Xml.listV2(bucket, prefix, delimiter, maxKeys, token, startAfter, url, r);
        } else {
            String marker = q.get("marker");
            ObjectLister.Result r = lister.list(bucket, prefix, delimiter, maxKeys, null, marker);
            body = listV1(bucket, prefix, delimiter, maxKeys, marker, url, r);
        }
        Exchanges.send(ex, 200, XML, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String listV1(String bucket, String prefix, String delimiter, int maxKeys, String marker,
                                 boolean url, ObjectLister.Result r) {
        // v1 shares v2's walk; its page is described by Marker/NextMarker instead of tokens.
        String v2 = S3Xml.listV2(bucket, prefix, delimiter, maxKeys, null, null, url, r);
        StringBuilder extra = new StringBuilder();
        S3Xml.el(extra, "Marker", marker == null ? "" : S3Xml.maybeUrl(marker, url));
        if (r.truncated()) {
            String last = r.contents().isEmpty() ? null : r.contents().get(r.contents().size() - 1).key();
            String lastPrefix = r.commonPrefixes().isEmpty() ? null : r.commonPrefixes().get(r.commonPrefixes().size() - 1);
            String next = last == null || (lastPrefix != null && lastPrefix.compareTo(last) > 0) ? lastPrefix : last;
            S3Xml.el(extra, "NextMarker", S3Xml.maybeUrl(next, url));
        }
        return v2.replaceFirst("<KeyCount>\\d+</KeyCount>", "")
                .replaceFirst("(<Prefix>[^<]*</Prefix>)", "$1" + java.util.regex.Matcher.quoteReplacement(extra.toString()));
    }

    private void objectRequest(HttpExchange ex, String bucket, String key, Map<String, String> q)
            throws IOException, S3Exception {
        Headers h = ex.getRequestHeaders();
        switch (ex.getRequestMethod()) {
            case "PUT" -> {
                if (h.containsKey("x-amz-copy-source")) {
                    throw new S3Exception(501, "NotImplemented", "CopyObject is not implemented by this gateway.");
                }
                try (InputStream body = body(ex)) {
                    if (q.containsKey("uploadId")) {
                        int part = parsePartNumber(q.get("partNumber"));
                        String etag = multipart.uploadPart(bucket, key, q.get("uploadId"), part, body);
                        ex.getResponseHeaders().set("ETag", etag);
                    } else {
                        ObjectInfo info = store.put(bucket, key, body, h.getFirst("Content-MD5"),
                                "*".equals(trim(h.getFirst("If-None-Match"))), h.getFirst("If-Match"));
                        ex.getResponseHeaders().set("ETag", info.etag());
                    }
                }
                metrics.puts.increment();
                Exchanges.send(ex, 200, null, null);
            }
            case "GET", "HEAD" -> get(ex, bucket, key);
            case "DELETE" -> {
                if (q.containsKey("uploadId")) {
                    multipart.abort(bucket, key, q.get("uploadId"));
                } else {
                    store.delete(bucket, key, h.getFirst("If-Match"));
                }
                metrics.deletes.increment();
                Exchanges.send(ex, 204, null, null);
            }
            case "POST" -> {
                if (q.containsKey("uploads")) {
                    drain(ex);
                    String id = multipart.initiate(bucket, key);
                    Exchanges.send(ex, 200, XML, S3Xml.initiateMultipart(bucket, key, id).getBytes(StandardCharsets.UTF_8));
                } else if (q.containsKey("uploadId")) {
                    byte[] xml = Exchanges.readBody(ex);
                    ObjectInfo info = multipart.complete(bucket, key, q.get("uploadId"), xml);
                    metrics.puts.increment();
                    String body = S3Xml.completeMultipart("/" + bucket + "/" + key, bucket, key, info.etag());
                    Exchanges.send(ex, 200, XML, body.getBytes(StandardCharsets.UTF_8));
                } else {
                    throw new S3Exception(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
                }
            }
            default -> throw new S3Exception(405, "MethodNotAllowed",
                    "The specified method is not allowed against this resource.");
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    private static int parsePartNumber(String s) throws S3Exception {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive");
        }
    }

    /** The request body, with S3's aws-chunked streaming encoding removed when a client used it. */
    private static InputStream body(HttpExchange ex) {
        Headers h = ex.getRequestHeaders();
        String sha = h.getFirst("x-amz-content-sha256");
        String enc = h.getFirst("Content-Encoding");
        if ((sha != null && sha.startsWith("STREAMING-")) || (enc != null && enc.contains("aws-chunked"))) {
            return new AwsChunkedInputStream(ex.getRequestBody());
        }
        return ex.getRequestBody();
    }

    private void get(HttpExchange ex, String bucket, String key) throws IOException, S3Exception {
        boolean head = "HEAD".equals(ex.getRequestMethod());
        (head ? metrics.heads : metrics.gets).increment();
        ObjectInfo info = store.stat(bucket, key);
        Headers req = ex.getRequestHeaders();
        Headers rsp = ex.getResponseHeaders();
        rsp.set("ETag", info.etag());
        rsp.set("Last-Modified", RFC1123.format(Instant.ofEpochMilli(info.lastModifiedMillis())));
        rsp.set("Accept-Ranges", "bytes");
        rsp.set("Content-Type", "binary/octet-stream");
        String ifMatch = req.getFirst("If-Match");
        if (ifMatch != null && !ObjectStore.etagMatches(ifMatch, info.etag())) {
            throw S3Exception.preconditionFailed();
        }
        String ifNoneMatch = req.getFirst("If-None-Match");
        if (ifNoneMatch != null && ObjectStore.etagMatches(ifNoneMatch, info.etag())) {
            ex.sendResponseHeaders(304, -1);
            return;
        }
        long size = info.size();
        long start = 0;
        long length = size;
        int status = 200;
        long[] range = RangeSpec.parse(req.getFirst("Range"), size);
        if (range != null) {
            if (range[0] < 0) {
                rsp.set("Content-Range", "bytes */" + size);
                throw new S3Exception(416, "InvalidRange", "The requested range is not satisfiable");
            }
            start = range[0];
            length = range[1] - range[0] + 1;
            status = 206;
            rsp.set("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
        }
        if (head) {
            rsp.set("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        if (length == 0) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, length);
        try (OutputStream out = ex.getResponseBody()) {
            reader.copy(info.path(), start, length, out);
        }
    }
}
