package dev.hotpath.samples.gateway;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes the {@code aws-chunked} body encoding that S3 clients use for streaming uploads
 * ({@code x-amz-content-sha256: STREAMING-...}): {@code hex-size[;chunk-signature=...]\r\n data \r\n}, repeated,
 * ending with a zero-size chunk and optional trailer lines. Signatures are not verified (the gateway does no auth).
 */
final class AwsChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    AwsChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (remaining == 0) {
            remaining = nextChunkSize();
            if (remaining == 0) {
                done = true;
                while (!readLine().isEmpty()) {
                    // trailers (e.g. x-amz-checksum-crc32) — not needed
                }
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("aws-chunked body ended inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            readLine(); // CRLF after the chunk data
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String header = readLine();
        int semi = header.indexOf(';');
        String hex = (semi < 0 ? header : header.substring(0, semi)).trim();
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad aws-chunked chunk header '" + header + "'");
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
