package dev.hotpath.agent.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * {@code GET /snapshot} (the snapshot JSON) and {@code GET /metrics} (Prometheus text) on 127.0.0.1 only, with the
 * JDK's HTTP server. Must be started from a thread of the agent's thread group: the server's dispatcher thread
 * inherits that group, so the recorder ignores the server's own socket I/O.
 */
public final class MetricsServer {
    private final HttpServer server;
    private final ExecutorService executor;

    public MetricsServer(int port, ThreadGroup group, Supplier<String> snapshot, Supplier<String> metrics)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        executor = Executors.newSingleThreadExecutor(new GroupThreads(group, "hotpath-agent-http"));
        server.setExecutor(executor);
        server.createContext("/snapshot", new Text(snapshot, "application/json"));
        server.createContext("/metrics", new Text(metrics, "text/plain; version=0.0.4; charset=utf-8"));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static final class Text implements HttpHandler {
        private final Supplier<String> body;
        private final String contentType;

        Text(Supplier<String> body, String contentType) {
            this.body = body;
            this.contentType = contentType;
        }

        @Override
        public void handle(HttpExchange ex) throws IOException {
            try {
                if (!"GET".equals(ex.getRequestMethod())) {
                    ex.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", contentType);
                ex.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            } finally {
                ex.close();
            }
        }
    }

    /** Daemon threads in the agent's group. */
    public static final class GroupThreads implements ThreadFactory {
        private final ThreadGroup group;
        private final String name;

        public GroupThreads(ThreadGroup group, String name) {
            this.group = group;
            this.name = name;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(group, r, name);
            t.setDaemon(true);
            return t;
        }
    }
}
