package dev.hotpath.bench.agent;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One keep-alive HTTP/1.1 connection over a plain blocking socket, for {@link GatewaySaturationHarness}'s closed-loop
 * client: a request is one {@code write} of headers and body, the response is read into one reused buffer and its
 * body discarded. This costs the client a few syscalls and small strings per operation, far less than
 * {@code java.net.http} (a selector thread, futures, a hand-off per exchange), so that one client core can saturate
 * one server core. Not thread-safe: one connection per load thread.
 */
final class KeepAliveConnection implements AutoCloseable {
    private final String host;
    private final int port;
    private final byte[] in = new byte[64 * 1024];
    private byte[] out = new byte[64 * 1024];
    private int pos;
    private int lim;
    private Socket socket;
    private InputStream input;
    private OutputStream output;
    /** Body bytes of the last response. */
    long lastBodyBytes;

    KeepAliveConnection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Sends a request (a body only when {@code body != null}) and reads the whole response; returns its status. */
    int exchange(String method, String path, byte[] body, int off, int len) throws IOException {
        if (socket == null) {
            open();
        }
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + (body != null ? "Content-Length: " + len + "\r\n" : "") + "\r\n";
        int h = head.length();
        int n = h + (body != null ? len : 0);
        if (out.length < n) {
            out = new byte[n];
        }
        for (int i = 0; i < h; i++) {
            out[i] = (byte) head.charAt(i);
        }
        if (body != null) {
            System.arraycopy(body, off, out, h, len);
        }
        try {
            output.write(out, 0, n);
            return readResponse("HEAD".equals(method));
        } catch (IOException e) {
            close(); // the next exchange reconnects
            throw e;
        }
    }

    private void open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true); // one write per request; never wait for the server's delayed ACK
        s.setSoTimeout(30_000);
        s.connect(new InetSocketAddress(host, port), 5_000);
        socket = s;
        input = s.getInputStream();
        output = s.getOutputStream();
        pos = 0;
        lim = 0;
    }

    private int readResponse(boolean head) throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = l.substring(0, colon).trim();
            String value = l.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase().contains("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closing = value.equalsIgnoreCase("close");
            }
        }
        lastBodyBytes = 0;
        if (!head && code != 204 && code != 304) {
            if (chunked) {
                for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new IOException("a response without a length on a keep-alive connection");
            }
        }
        if (closing) {
            close();
        }
        return code;
    }

    private void skip(long n) throws IOException {
        lastBodyBytes += n;
        while (n > 0) {
            if (pos == lim) {
                fill();
            }
            int k = (int) Math.min(n, lim - pos);
            pos += k;
            n -= k;
        }
    }

    /** One CRLF-terminated line (ASCII), without the terminator. */
    @SuppressWarnings("deprecation") // String(byte[], int hibyte, ...) is the cheap ASCII decode
    private String line() throws IOException {
        StringBuilder sb = null;
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (in[i] == '\n') {
                    int end = i > pos && in[i - 1] == '\r' ? i - 1 : i;
                    String s = new String(in, 0, pos, end - pos);
                    pos = i + 1;
                    if (sb == null) {
                        return s;
                    }
                    return sb.append(s).toString().replace("\r", "");
                }
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(new String(in, 0, pos, lim - pos));
            pos = lim;
            fill();
        }
    }

    private void fill() throws IOException {
        int n = input.read(in, 0, in.length);
        if (n < 0) {
            throw new EOFException("the server closed the connection");
        }
        pos = 0;
        lim = n;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
