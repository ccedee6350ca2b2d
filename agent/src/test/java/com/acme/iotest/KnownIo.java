package com.acme.iotest;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Does exactly known file and loopback-socket I/O, for the agent's integration tests. Each I/O call is on a line
 * marked {@code // SITE:name}; the test finds the line numbers from this source. Prints {@code key=value} lines
 * (files, ports) and finally {@code done}. With argument {@code wait}, waits for a line on stdin before the I/O
 * (attach test) and after it (scrape test).
 */
public final class KnownIo {
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        boolean wait = args.length > 1 && args[1].equals("wait");
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
        if (wait) {
            stdin.readLine();
        }
        Path log = dir.resolve("seg-001.log");
        writeLog(log);
        readLog(log);
        randomReads(log);
        positionalReads(log);
        Path hot = dir.resolve("hot.bin");
        rereads(hot);
        Path journal = dir.resolve("journal.dat");
        journal(journal);
        Path copy = dir.resolve("copy.dat");
        transfer(log, copy);
        Path asyncFuture = dir.resolve("async-future.dat");
        Path asyncHandler = dir.resolve("async-handler.dat");
        asyncChannels(asyncFuture, asyncHandler);
        Path shared = dir.resolve("shared.dat");
        manyThreads(shared, 64, 200);
        if (Runtime.version().feature() >= 21) {
            virtualThreads(dir);
            System.out.println("virtual=8");
        }
        int port = sockets();
        int channelPort = socketChannels();
        System.out.println("log=" + log.toAbsolutePath());
        System.out.println("journal=" + journal.toAbsolutePath());
        System.out.println("copy=" + copy.toAbsolutePath());
        System.out.println("hot=" + hot.toAbsolutePath());
        System.out.println("shared=" + shared.toAbsolutePath());
        System.out.println("asyncFuture=" + asyncFuture.toAbsolutePath());
        System.out.println("asyncHandler=" + asyncHandler.toAbsolutePath());
        System.out.println("port=" + port);
        System.out.println("channelPort=" + channelPort);
        System.out.println("done");
        System.out.flush();
        if (wait) {
            stdin.readLine();
        }
    }

    static void writeLog(Path log) throws Exception {
        byte[] record = new byte[128];
        try (OutputStream out = new FileOutputStream(log.toFile())) {
            for (int i = 0; i < 1000; i++) {
                out.write(record); // SITE:writeLog
            }
        }
    }

    static void readLog(Path log) throws Exception {
        byte[] buf = new byte[4096];
        try (InputStream in = new FileInputStream(log.toFile())) {
            while (in.read(buf) > 0) { // SITE:readLog
                // 31 full reads, one of 1024 bytes, one at EOF
            }
        }
    }

    static void randomReads(Path log) throws Exception {
        byte[] buf = new byte[512];
        try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "r")) {
            for (int i = 0; i < 20; i++) {
                raf.seek((19 - i) * 4096L + 100);
                raf.read(buf, 0, 512); // SITE:randomReads
            }
        }
    }

    static void positionalReads(Path log) throws Exception {
        ByteBuffer bb = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            for (int i = 0; i < 10; i++) {
                bb.clear();
                ch.read(bb, i * 4096L); // SITE:positionalReads
            }
        }
    }

    /**
     * Read amplification: a 64 MiB (sparse) file read 20,000 times in 4 KiB positional reads that touch only 64
     * distinct blocks (the first of each MiB, never two in a row: all random), then once sequentially at another site
     * in 64 KiB stream reads (1024 and one at EOF).
     */
    static void rereads(Path file) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(64L << 20);
        }
        ByteBuffer bb = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; i < 20_000; i++) {
                bb.clear();
                ch.read(bb, ((i * 37L + 1) % 64) << 20); // SITE:hotBlocks
            }
        }
        byte[] buf = new byte[65536];
        try (InputStream in = new FileInputStream(file.toFile())) {
            while (in.read(buf) > 0) { // SITE:scanOnce
                // 1024 full reads, one at EOF
            }
        }
    }

    static void journal(Path journal) throws Exception {
        ByteBuffer entry = ByteBuffer.allocate(1000);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 5; i++) {
                entry.clear();
                ch.write(entry); // SITE:journalWrite
                ch.force(true); // SITE:journalForce
            }
        }
    }

    /**
     * AsynchronousFileChannel, one channel per site (a channel used from a second site counts on the first until the
     * next sampled walk): 10 Future-form writes of 512 bytes to {@code futureFile}, 5 handler-form writes of 256 bytes
     * to {@code handlerFile}, then the same reads back; each operation waits for the previous one.
     */
    static void asyncChannels(Path futureFile, Path handlerFile) throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(futureFile, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            for (int i = 0; i < 10; i++) {
                ch.write(ByteBuffer.allocate(512), i * 512L).get(); // SITE:asyncFutureWrite
            }
        }
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(handlerFile, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            for (int i = 0; i < 5; i++) {
                CountDownLatch done = new CountDownLatch(1);
                Countdown handler = new Countdown(new AtomicInteger());
                ch.write(ByteBuffer.allocate(256), i * 256L, done, handler); // SITE:asyncHandlerWrite
                done.await();
            }
        }
        int total = 0;
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(futureFile, StandardOpenOption.READ)) {
            for (int i = 0; i < 10; i++) {
                total += ch.read(ByteBuffer.allocate(512), i * 512L).get(); // SITE:asyncFutureRead
            }
        }
        AtomicInteger handled = new AtomicInteger();
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(handlerFile, StandardOpenOption.READ)) {
            for (int i = 0; i < 5; i++) {
                CountDownLatch done = new CountDownLatch(1);
                Countdown handler = new Countdown(handled);
                ch.read(ByteBuffer.allocate(256), i * 256L, done, handler); // SITE:asyncHandlerRead
                done.await();
            }
        }
        if (total != 5120 || handled.get() != 1280) {
            throw new IllegalStateException("async reads returned " + total + " and " + handled.get());
        }
    }

    private static final class Countdown implements CompletionHandler<Integer, CountDownLatch> {
        private final AtomicInteger bytes;

        Countdown(AtomicInteger bytes) {
            this.bytes = bytes;
        }

        @Override
        public void completed(Integer n, CountDownLatch latch) {
            bytes.addAndGet(n);
            latch.countDown();
        }

        @Override
        public void failed(Throwable exc, CountDownLatch latch) {
            latch.countDown();
        }
    }

    static void transfer(Path from, Path to) throws Exception {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            in.transferTo(0, in.size(), out); // SITE:transfer
        }
        Files.copy(from, to.resolveSibling("files-copy.dat")); // SITE:filesCopy
    }

    static void manyThreads(Path shared, int threads, int writesPerThread) throws Exception {
        try (FileChannel ch = FileChannel.open(shared, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                final long base = (long) t * writesPerThread * 100;
                ts[t] = new Thread(() -> {
                    ByteBuffer bb = ByteBuffer.allocate(100);
                    try {
                        for (int i = 0; i < writesPerThread; i++) {
                            bb.clear();
                            ch.write(bb, base + i * 100L); // SITE:manyThreads
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
        }
    }

    /** JDK 21+: 8 virtual threads each write 100 x 32 bytes to their own file (reflection: compiled for 17). */
    static void virtualThreads(Path dir) throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        java.lang.reflect.Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        Thread[] ts = new Thread[8];
        for (int t = 0; t < ts.length; t++) {
            Path file = dir.resolve("virtual-" + t + ".dat");
            ts[t] = (Thread) start.invoke(builder, (Runnable) () -> {
                try (OutputStream out = new FileOutputStream(file.toFile())) {
                    byte[] b = new byte[32];
                    for (int i = 0; i < 100; i++) {
                        out.write(b); // SITE:virtualWrite
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
    }

    /** A socket client writes 100 x 256 bytes to a server that reads them all and answers with 10 bytes. */
    static int sockets() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept(); // SITE:accept
                     InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] buf = new byte[1024];
                    long total = 0;
                    while (total < 25600) {
                        int n = in.read(buf); // SITE:serverRead
                        if (n < 0) {
                            break;
                        }
                        total += n;
                    }
                    out.write(new byte[10]); // SITE:serverWrite
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort())); // SITE:connect
                OutputStream out = s.getOutputStream();
                byte[] msg = new byte[256];
                for (int i = 0; i < 100; i++) {
                    out.write(msg); // SITE:clientWrite
                }
                InputStream in = s.getInputStream();
                byte[] reply = new byte[10];
                int got = 0;
                while (got < 10) {
                    got += in.read(reply, got, 10 - got); // SITE:clientRead
                }
            }
            t.join();
            return server.getLocalPort();
        }
    }

    /** A SocketChannel client writes 50 x 100 bytes to a ServerSocketChannel peer that reads them all. */
    static int socketChannels() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Thread t = new Thread(() -> {
                try (SocketChannel peer = server.accept()) { // SITE:channelAccept
                    ByteBuffer bb = ByteBuffer.allocate(1000);
                    long total = 0;
                    while (total < 5000) {
                        bb.clear();
                        int n = peer.read(bb); // SITE:channelRead
                        if (n < 0) {
                            break;
                        }
                        total += n;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            try (SocketChannel ch = SocketChannel.open()) {
                ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); // SITE:channelConnect
                ByteBuffer msg = ByteBuffer.allocate(100);
                for (int i = 0; i < 50; i++) {
                    msg.clear();
                    while (msg.hasRemaining()) {
                        ch.write(msg); // SITE:channelWrite
                    }
                }
            }
            t.join();
            return port;
        }
    }
}
