package dev.hotpath.samples.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;

/** A small HTTP/1.1 client of the gateway (or any origin), used by the cache and by ingest. */
public final class OriginClient {
    private final String baseUrl;
    /**
     * The client's own pool, started up front and bounded: the default executor grows a thread per concurrent
     * exchange and lets them die after a minute idle, so the thread count follows the load instead of the setup.
     */
    private final ThreadPoolExecutor executor = HttpService.prestarted(4, "origin-client");
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();

    public OriginClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** {@code rawPathAndQuery} starts with '/' and is already percent-encoded. */
    public HttpResponse<byte[]> send(String method, String rawPathAndQuery, byte[] body, String... headers)
            throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + rawPathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling the origin", e);
        }
    }

    /** A non-200 answer of the origin, passed through to the client as is. */
    public static final class OriginStatus extends IOException {
        public final HttpResponse<byte[]> response;

        public OriginStatus(HttpResponse<byte[]> response) {
            super("origin answered " + response.statusCode(), null);
            this.response = response;
        }
    }
}
