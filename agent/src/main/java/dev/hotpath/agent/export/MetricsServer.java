package dev.hotpath.agent.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /snapshot} (the snapshot JSON) and {@code GET /metrics} (Prometheus text) on 127.0.0.1 only: a minimal
 * HTTP/1.1 server of the agent's own, one daemon thread on a {@link ServerSocket}, one request per connection
 * ({@code Connection: close}).
 *
 * <p>Not the JDK's {@code com.sun.net.httpserver}: a host that serves HTTP through that server (the sample gateway
 * does) would get the agent's handler classes at the dispatch calls its own requests go through, and the JIT compiles
 * such a call from the receiver classes it has seen there (the snapshot's {@code Files.write} did the same to the
 * host's file opens: agent/README, "The agent's own work does not reshape the host's compiled code"). This server
 * calls nothing of the JDK's but socket streams, and loads no HTTP classes into a host that has none.
 *
 * <p>Requests are served one at a time (a scrape is a few per minute): a connection has {@value #TIMEOUT_MILLIS} ms in
 * all to send its request head, at most {@value #MAX_HEAD} bytes of it, or it is answered 408 or 431 and closed. The
 * thread is of the agent's thread group, so that the recorder ignores the server's own socket I/O. No exception leaves
 * the thread: a failed connection is closed and the next one accepted. As with the JDK server's single thread before,
 * a client that stops reading a response holds the thread until it goes away.
 */
public final class MetricsServer {
    static final int MAX_HEAD = 8192;
    static final int TIMEOUT_MILLIS = 5000;
    static final int DRAIN_MILLIS = 1000;
    static final int DRAIN_BYTES = 1 << 16;
    /** After a failed accept. */
    static final int ACCEPT_RETRY_MILLIS = 100;

    private final ServerSocket server;
    private final int timeoutMillis;
    private final Supplier<String> snapshot;
    private final Supplier<String> metrics;

    public MetricsServer(int port, ThreadGroup group, Supplier<String> snapshot, Supplier<String> metrics)
            throws IOException {
        this(port, group, snapshot, metrics, TIMEOUT_MILLIS);
    }

    /** @param timeoutMillis how long a connection may take to send its request head */
    MetricsServer(int port, ThreadGroup group, Supplier<String> snapshot, Supplier<String> metrics, int timeoutMillis)
            throws IOException {
        this.timeoutMillis = timeoutMillis;
        this.snapshot = snapshot;
        this.metrics = metrics;
        server = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(group, new Runnable() {
            @Override
            public void run() {
                serve();
            }
        }, "hotpath-agent-http");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes the listening socket; the serving thread ends after the request it may be answering. */
    public void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (Throwable e) {
                if (server.isClosed()) {
                    return;
                }
                // a connection reset before it was accepted, or the process out of descriptors (then every accept
                // fails at once): a pause, so that the thread never spins on the host's CPU
                pause();
                continue;
            }
            try {
                answer(s);
                drain(s);
            } catch (Throwable ignored) {
                // the client went away or sent too slowly: nothing to tell it
            } finally {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closed anyway
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(ACCEPT_RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads one request head from {@code s}, within {@code timeoutMillis} in all (a client trickling bytes does not
     * hold the thread longer), and writes the whole response.
     */
    private void answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        byte[] head = new byte[MAX_HEAD];
        int n = 0;
        int end = -1;
        try {
            while (end < 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new java.net.SocketTimeoutException();
                }
                s.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                if (n == head.length) {
                    respond(out, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8",
                            "request head over " + MAX_HEAD + " bytes\n");
                    return;
                }
                int r = in.read(head, n, head.length - n);
                if (r < 0) {
                    return; // closed before a whole head: nothing to answer
                }
                int from = Math.max(0, n - 3);
                n += r;
                end = headEnd(head, from, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            respond(out, 408, "Request Timeout", "text/plain; charset=utf-8", "no request head within "
                    + timeoutMillis + " ms\n");
            return;
        }
        int lineEnd = 0;
        while (lineEnd < end && head[lineEnd] != '\r' && head[lineEnd] != '\n') {
            lineEnd++;
        }
        String line = new String(head, 0, lineEnd, StandardCharsets.ISO_8859_1);
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || !line.startsWith("HTTP/", sp2 + 1)) {
            respond(out, 400, "Bad Request", "text/plain; charset=utf-8", "not an HTTP request line\n");
            return;
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        Supplier<String> body;
        String type;
        if (path.equals("/snapshot")) {
            body = snapshot;
            type = "application/json";
        } else if (path.equals("/metrics")) {
            body = metrics;
            type = "text/plain; version=0.0.4; charset=utf-8";
        } else {
            respond(out, 404, "Not Found", "text/plain; charset=utf-8", "not found: /snapshot or /metrics\n");
            return;
        }
        if (!method.equals("GET")) {
            respond(out, 405, "Method Not Allowed", "text/plain; charset=utf-8", "GET only\n");
            return;
        }
        respond(out, 200, "OK", type, body.get());
    }

    /**
     * Half-closes the connection and reads what the client still sends (an unread request body, the rest of a head
     * over the limit) until it closes, for at most {@value #DRAIN_MILLIS} ms and {@value #DRAIN_BYTES} bytes: closing
     * with unread bytes would reset the connection, and a client may then lose the response before reading it.
     */
    private static void drain(Socket s) throws IOException {
        s.shutdownOutput();
        InputStream in = s.getInputStream();
        byte[] sink = new byte[4096];
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        for (int total = 0; total < DRAIN_BYTES; ) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            s.setSoTimeout((int) left);
            int r = in.read(sink);
            if (r < 0) {
                return;
            }
            total += r;
        }
    }

    /** Index just past the blank line that ends a request head in {@code b[0, n)}, searching from {@code from}. */
    static int headEnd(byte[] b, int from, int n) {
        for (int i = from; i < n; i++) {
            if (b[i] != '\n') {
                continue;
            }
            if (i + 1 < n && b[i + 1] == '\n') {
                return i + 2; // bare LF line ends, as RFC 9112 lets a server accept
            }
            if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private static void respond(OutputStream out, int status, String reason, String type, String text)
            throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n" + (status == 405 ? "Allow: GET\r\n" : "") + "\r\n";
        byte[] h = headers.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        out.write(all);
        out.flush();
    }
}
