package dev.hotpath.samples.common;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK {@link HttpServer} on 127.0.0.1 with a fixed worker pool. Port 0 binds a free port; {@link #announce}
 * prints the one line a driver (tests, {@code hotpath demo}) parses: {@code NAME listening on 127.0.0.1:PORT}.
 */
public final class HttpService implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final ExecutorService workers;

    public HttpService(String name, String host, int port, int threads) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
        this.workers = Executors.newFixedThreadPool(threads, daemonThreads(name + "-http"));
        server.setExecutor(workers);
    }

    public HttpService handle(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    public HttpService start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public void announce(PrintStream out) {
        out.println(name + " listening on 127.0.0.1:" + port());
        out.flush();
    }

    /** Stops accepting, lets in-flight exchanges finish (up to one second), then stops the workers. */
    @Override
    public void close() {
        server.stop(1);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
