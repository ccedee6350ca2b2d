package com.acme.iotest;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A server with a connection it accepted before the agent came: listens on loopback, connects to itself and accepts,
 * prints {@code port=} and {@code ready}, waits for a line (the test attaches the agent meanwhile), then the client
 * writes 10 x 100 bytes that the server reads, prints {@code done} and waits for a last line.
 */
public final class ListeningHost {
    private ListeningHost() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 5, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            System.out.println("port=" + server.getLocalPort());
            System.out.println("ready");
            System.out.flush();
            stdin.readLine();
            OutputStream out = client.getOutputStream();
            for (int i = 0; i < 10; i++) {
                out.write(new byte[100]); // SITE:clientWrite
            }
            InputStream in = accepted.getInputStream();
            byte[] buf = new byte[1000];
            int got = 0;
            while (got < buf.length) {
                int n = in.read(buf, got, buf.length - got); // SITE:serverRead
                if (n < 0) {
                    break;
                }
                got += n;
            }
            System.out.println("read=" + got);
            System.out.println("done");
            System.out.flush();
            stdin.readLine();
        }
    }
}
