package dev.hotpath.analyzer.jfr.apps;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A little of everything the JFR handlers read, for comparing hotpath's chunk reader with RecordingFile: file and
 * socket I/O recorded at a 0 ms threshold, contended monitors and locks, exceptions, allocation, System.gc(), short-
 * lived threads, and a chunk rotation every 300 ms. Writes the recording to {@code args[0]} after {@code args[1]} ms.
 */
public final class ReaderMixApp {
    private static final Object MONITOR = new Object();
    private static final ReentrantLock LOCK = new ReentrantLock();
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long millis = Long.parseLong(args[1]);
        try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
            for (String e : List.of("jdk.FileRead", "jdk.FileWrite", "jdk.SocketRead", "jdk.SocketWrite",
                    "jdk.JavaMonitorEnter", "jdk.ThreadPark")) {
                r.enable(e).withThreshold(Duration.ZERO).withStackTrace();
            }
            r.enable("jdk.JavaExceptionThrow").withStackTrace();
            r.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
            r.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
            r.start();
            run(millis);
            r.stop();
            r.dump(out);
        }
    }

    private static void run(long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                while (System.currentTimeMillis() < end) {
                    synchronized (MONITOR) {
                        pause(1);
                    }
                    LOCK.lock();
                    try {
                        pause(1);
                    } finally {
                        LOCK.unlock();
                    }
                }
            }, "contender-" + i);
            t.start();
            workers.add(t);
        }
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream();
                     OutputStream o = s.getOutputStream()) {
                    byte[] buf = new byte[256];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        o.write(buf, 0, n);
                    }
                } catch (Exception ignored) {
                    // the client closed
                }
            }, "echo");
            echo.start();
            Path file = Files.createTempFile("reader-mix", ".bin");
            try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort())) {
                long nextRotation = System.currentTimeMillis() + 300;
                int round = 0;
                while (System.currentTimeMillis() < end) {
                    Files.write(file, new byte[1024 + round % 7]);
                    sink = Files.readAllBytes(file);
                    client.getOutputStream().write(new byte[64]);
                    client.getInputStream().readNBytes(64);
                    try {
                        throw new IllegalStateException("round " + round);
                    } catch (IllegalStateException expected) {
                        sink = expected;
                    }
                    sink = new long[4096 + round % 100];
                    if (round % 50 == 0) {
                        Thread t = new Thread(() -> sink = new byte[10], "short-lived-" + round);
                        t.start();
                        t.join();
                    }
                    if (System.currentTimeMillis() >= nextRotation) {
                        System.gc();
                        try (Recording rotate = new Recording()) {
                            rotate.start();
                            rotate.stop();
                        }
                        nextRotation += 300;
                    }
                    round++;
                }
            } finally {
                Files.deleteIfExists(file);
            }
            echo.join(5000);
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
