package dev.hotpath.agent.export;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's own HTTP server, over real loopback sockets: whole responses byte for byte, the error statuses, and a
 * server that goes on serving after clients that misbehave.
 */
class MetricsServerTest {
    private final AtomicInteger scrapes = new AtomicInteger();
    private final ThreadGroup group = new ThreadGroup("hotpath-agent-test");
    private MetricsServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MetricsServer(0, group, () -> "{\"snapshot\":\"\u00e9\"}\n",
                () -> "hotpath_io_operations_total{site=\"x\"} " + scrapes.incrementAndGet() + "\n", 300);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void servesBothDocumentsWithExactHeadersAndOneRequestPerConnection() throws IOException {
        assertThat(exchange("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n"))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                        + "Content-Length: 40\r\nConnection: close\r\n\r\nhotpath_io_operations_total{site=\"x\"} 1\n");
        // the body's length is in bytes (the e-acute is two), and a query string does not change the path
        assertThat(exchange("GET /snapshot?x=1 HTTP/1.0\n\n")).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: "
                + "application/json\r\nContent-Length: 18\r\nConnection: close\r\n\r\n{\"snapshot\":\"\u00e9\"}\n");
        // a request head that arrives a byte at a time
        assertThat(exchange("GET /metrics HTTP/1.1\r\n\r\n", true)).endsWith("\r\n\r\n"
                + "hotpath_io_operations_total{site=\"x\"} 2\n");
    }

    @Test
    void answersOtherPathsMethodsAndMalformedHeadsWithTheirStatus() throws IOException {
        assertThat(exchange("GET /snapshotx HTTP/1.1\r\n\r\n")).isEqualTo("HTTP/1.1 404 Not Found\r\nContent-Type: "
                + "text/plain; charset=utf-8\r\nContent-Length: 33\r\nConnection: close\r\n\r\n"
                + "not found: /snapshot or /metrics\n");
        assertThat(exchange("POST /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi")).isEqualTo(
                "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 9\r\n"
                        + "Connection: close\r\nAllow: GET\r\n\r\nGET only\n");
        assertThat(exchange("hello\r\n\r\n")).isEqualTo("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; "
                + "charset=utf-8\r\nContent-Length: 25\r\nConnection: close\r\n\r\nnot an HTTP request line\n");
        assertThat(exchange("GET /metrics HTTP/1.1\r\nX: " + "y".repeat(MetricsServer.MAX_HEAD) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")
                .endsWith("\r\n\r\nrequest head over 8192 bytes\n");
        // a head never finished: answered once the timeout (300 ms here) is spent, in all
        assertThat(exchange("GET /metrics HTTP/1.1\r\n")).isEqualTo("HTTP/1.1 408 Request Timeout\r\nContent-Type: "
                + "text/plain; charset=utf-8\r\nContent-Length: 30\r\nConnection: close\r\n\r\n"
                + "no request head within 300 ms\n");
        assertThat(scrapes.get()).isZero();
    }

    @Test
    void goesOnServingAfterAClientLeavesMidRequestAndAnHttpClientReadsIt() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.getOutputStream().write("GET /met".getBytes(StandardCharsets.US_ASCII));
        }
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hotpath_io_operations_total{site=\"x\"} " + i + "\n");
        }
        // the serving thread is the agent group's, so the recorder ignores its sockets
        Thread[] threads = new Thread[8];
        int n = group.enumerate(threads);
        assertThat(n).isEqualTo(1);
        assertThat(threads[0].getName()).isEqualTo("hotpath-agent-http");
        assertThat(threads[0].isDaemon()).isTrue();
    }

    private String exchange(String request) throws IOException {
        return exchange(request, false);
    }

    /** Sends {@code request} (ISO-8859-1), then reads the response to its end. */
    private String exchange(String request, boolean byteByByte) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
            if (byteByByte) {
                for (byte x : b) {
                    out.write(x);
                    out.flush();
                }
            } else {
                out.write(b);
            }
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            return got.toString(StandardCharsets.UTF_8);
        }
    }
}
