package dev.hotpath.analyzer.jfr.apps;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A server whose clients are slow: {@code args[0]} clients connect one after another, each waits 40 ms before its
 * 100-byte request, so each of the server's reads blocks about 40 ms (above JFR's 20 ms socket threshold), each on a
 * connection with a new client port.
 */
public final class SlowClientsApp {
    public static void main(String[] args) throws Exception {
        int clients = Integer.parseInt(args[0]);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, loopback)) {
            Thread serving = new Thread(() -> {
                try {
                    for (int i = 0; i < clients; i++) {
                        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                            in.readNBytes(100);
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            serving.start();
            for (int i = 0; i < clients; i++) {
                try (Socket s = new Socket(loopback, server.getLocalPort()); OutputStream out = s.getOutputStream()) {
                    Thread.sleep(40);
                    out.write(new byte[100]);
                }
            }
            serving.join();
            System.out.println("port=" + server.getLocalPort());
        }
    }
}
