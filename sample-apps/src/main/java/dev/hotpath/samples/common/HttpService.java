package dev.hotpath.samples.common;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK {@link HttpServer} on 127.0.0.1 with a fixed worker pool. Port 0 binds a free port; {@link #announce}
 * prints the one line a driver (tests, {@code hotpath demo}) parses: {@code NAME listening on 127.0.0.1:PORT}.
 */
public final class HttpService implements AutoCloseable {
    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // ~40 ms per small response. Read once, when the first HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<HttpContext> contexts = new ArrayList<>();
    private final String name;
    private final HttpServer server;
    private final ExecutorService workers;

    public HttpService(String name, String host, int port, int threads) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
        this.workers = prestarted(threads, name + "-http");
        server.setExecutor(workers);
    }

    public HttpService handle(String path, HttpHandler handler) {
        HttpContext c = server.createContext(path, handler);
        c.getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange ex, Chain chain) throws IOException {
                inFlight.incrementAndGet();
                try {
                    chain.doFilter(ex);
                } finally {
                    inFlight.decrementAndGet();
                }
            }

            @Override
            public String description() {
                return "in-flight counter";
            }
        });
        contexts.add(c);
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

    /**
     * Stops routing new requests, lets in-flight exchanges finish (up to five seconds), then closes the listener and
     * the workers. (HttpServer.stop(delay) alone waits the whole delay on JDK 17 even when nothing is in flight.)
     */
    @Override
    public void close() {
        for (HttpContext c : contexts) {
            c.getFilters().add(0, new Filter() {
                @Override
                public void doFilter(HttpExchange ex, Chain chain) throws IOException {
                    ex.sendResponseHeaders(503, -1);
                    ex.close();
                }

                @Override
                public String description() {
                    return "shutting down";
                }
            });
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A fixed pool of daemon threads, all started now: a server keeps its workers from the start (the JDK's fixed
     * pool would create them one by one as the first requests arrive).
     */
    public static ThreadPoolExecutor prestarted(int threads, String prefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemonThreads(prefix));
        pool.prestartAllCoreThreads();
        return pool;
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
