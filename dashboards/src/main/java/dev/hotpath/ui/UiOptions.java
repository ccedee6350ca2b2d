package dev.hotpath.ui;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the UI is served.
 *
 * @param bind           address to bind; loopback unless the user asks otherwise
 * @param port           TCP port, 0 for a free one
 * @param token          required when {@code bind} is not a loopback address; {@code null} otherwise
 * @param maxUploadBytes total size limit of one upload request
 * @param uploadDir      where uploaded artifacts are kept; always inside the workspace
 */
public record UiOptions(String bind, int port, String token, long maxUploadBytes, Path uploadDir) {
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 512L * 1024 * 1024;

    public UiOptions {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(uploadDir, "uploadDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + ": not a TCP port");
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("upload limit must be positive");
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (token == null && !isLoopback(bind)) {
            throw new IllegalArgumentException("--bind " + bind + " exposes the UI beyond this machine: also give --token T");
        }
    }

    public static UiOptions loopback(int port, Path uploadDir) {
        return new UiOptions("127.0.0.1", port, null, DEFAULT_MAX_UPLOAD_BYTES, uploadDir);
    }

    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
