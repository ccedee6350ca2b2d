package dev.hotpath.samples.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The HTTP calls loadgen makes; bodies are streamed and counted, not kept. Thread-safe. */
final class Operations {
    /** Outcome of one call: HTTP status, bytes moved, and the Retry-After seconds of a 503 (else -1). */
    record Result(int status, long bytes, int retryAfterSeconds) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ThreadLocal<byte[]> sink = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

    Result get(String url, long rangeStart, long rangeLength) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        if (rangeLength > 0) {
            b.header("Range", "bytes=" + rangeStart + "-" + (rangeStart + rangeLength - 1));
        }
        HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        byte[] buf = sink.get();
        try (InputStream in = r.body()) {
            int k;
            while ((k = in.read(buf)) > 0) {
                n += k;
            }
        }
        return new Result(r.statusCode(), n, -1);
    }

    Result put(String url, byte[] data, int offset, int length) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data, offset, length)).build();
        HttpResponse<Void> r = client.send(req, HttpResponse.BodyHandlers.discarding());
        return new Result(r.statusCode(), length, -1);
    }

    Result post(String url, byte[] data) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build();
        HttpResponse<Void> r = client.send(req, HttpResponse.BodyHandlers.discarding());
        Optional<String> retry = r.headers().firstValue("Retry-After");
        int retryAfter = -1;
        if (r.statusCode() == 503 && retry.isPresent()) {
            try {
                retryAfter = Integer.parseInt(retry.get().trim());
            } catch (NumberFormatException e) {
                retryAfter = 1;
            }
        }
        return new Result(r.statusCode(), data.length, retryAfter);
    }
}
