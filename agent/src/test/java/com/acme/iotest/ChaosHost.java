package com.acme.iotest;

import java.io.EOFException;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A host for the agent's chaos tests: many threads on one file and on many files, loopback connection storms, ten
 * thousand virtual threads, a million distinct file names. It counts every I/O call it makes and prints the counts as
 * {@code key=value} lines, so the test can compare them with the agent's snapshot. Each I/O call is on a line marked
 * {@code // SITE:name}. Every wait is bounded: a stuck run prints {@code stuck} with a thread dump and exits 2.
 *
 * <pre>
 * ChaosHost files DIR THREADS OPS             64 threads: one shared file, then 4 files each
 * ChaosHost storm DIR CLIENTS CONNECTIONS     platform threads, short loopback connections
 * ChaosHost virtual DIR TASKS                 JDK 21+: one virtual thread per task, file and socket I/O
 * ChaosHost names DIR COUNT THREADS           COUNT distinct files created, written once, deleted; then waits
 * ChaosHost forced DIR COUNT THREADS          COUNT temp files, each written and forced twice, renamed, deleted
 * </pre>
 */
public final class ChaosHost {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int RECORD = 100;
    static final int REQUEST = 100;
    static final int RESPONSE = 10;

    static final LongAdder CLIENT_READS = new LongAdder();
    static final LongAdder CLIENT_READ_BYTES = new LongAdder();
    static final LongAdder SERVER_READS = new LongAdder();
    static final LongAdder SERVER_READ_BYTES = new LongAdder();

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[1]);
        switch (args[0]) {
            case "files":
                files(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                break;
            case "storm":
                storm(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                break;
            case "virtual":
                virtual(dir, Integer.parseInt(args[2]));
                break;
            case "names":
                names(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                break;
            case "forced":
                forced(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("done");
        System.out.flush();
        if (args[0].equals("names")) {
            System.in.read(); // the test takes a class histogram first
        }
    }

    // ------------------------------------------------------------------ files

    static void files(Path dir, int threads, int ops) throws Exception {
        Path shared = dir.resolve("shared.dat");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (FileOutputStream out = new FileOutputStream(shared.toFile(), true)) {
            // append mode: concurrent writes on one descriptor never overwrite each other
            byte[] rec = new byte[RECORD];
            LongAdder writes = new LongAdder();
            runAll(pool, threads, t -> {
                for (int i = 0; i < ops; i++) {
                    out.write(rec); // SITE:sharedWrite
                    writes.increment();
                }
            });
            print("sharedWrites", writes.sum());
        }
        print("sharedSize", Files.size(shared));
        try (FileChannel ch = FileChannel.open(shared, StandardOpenOption.READ)) {
            long records = Files.size(shared) / RECORD;
            LongAdder reads = new LongAdder();
            LongAdder bytes = new LongAdder();
            runAll(pool, threads, t -> {
                ByteBuffer bb = ByteBuffer.allocate(RECORD);
                for (int i = 0; i < ops; i++) {
                    bb.clear();
                    int n = ch.read(bb, (t * 7919L + i * 31L) % records * RECORD); // SITE:sharedRead
                    reads.increment();
                    bytes.add(Math.max(n, 0));
                }
            });
            print("sharedReads", reads.sum());
            print("sharedReadBytes", bytes.sum());
        }

        // many files: each thread writes 4 files of its own, then reads them back at positions
        int perFile = Math.max(1, ops / 2);
        LongAdder writes = new LongAdder();
        LongAdder reads = new LongAdder();
        LongAdder readBytes = new LongAdder();
        runAll(pool, threads, t -> {
            byte[] rec = new byte[RECORD];
            ByteBuffer bb = ByteBuffer.allocate(RECORD);
            for (int f = 0; f < 4; f++) {
                File file = dir.resolve("many-" + t + "-" + f + ".dat").toFile();
                try (FileOutputStream out = new FileOutputStream(file)) {
                    for (int i = 0; i < perFile; i++) {
                        out.write(rec); // SITE:manyWrite
                        writes.increment();
                    }
                }
                try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
                    for (int i = 0; i < perFile; i++) {
                        bb.clear();
                        int n = ch.read(bb, (long) (perFile - 1 - i) * RECORD); // SITE:manyRead
                        reads.increment();
                        readBytes.add(Math.max(n, 0));
                    }
                }
            }
        });
        print("manyFiles", threads * 4L);
        print("manyWrites", writes.sum());
        print("manyReads", reads.sum());
        print("manyReadBytes", readBytes.sum());
        long total = 0;
        for (int t = 0; t < threads; t++) {
            for (int f = 0; f < 4; f++) {
                total += Files.size(dir.resolve("many-" + t + "-" + f + ".dat"));
            }
        }
        print("manySize", total);
        shutdown(pool);
    }

    // ------------------------------------------------------------------ sockets

    /**
     * CLIENTS platform threads each make CONNECTIONS short connections to one loopback server, each from a loopback
     * address of its own (127.1.0.1, 127.1.0.2, ...: Linux routes all of 127/8 to the loopback device), so that the
     * server sees as many client hosts as connections.
     */
    static void storm(int clients, int connections) throws Exception {
        ExecutorService handlers = Executors.newFixedThreadPool(16);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        int total = clients * connections;
        try (ServerSocket server = new ServerSocket(0, 4096, LOOPBACK)) {
            Future<?> acceptor = acceptLoop(server, total, handlers);
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            runAll(pool, clients, t -> {
                for (int i = 0; i < connections; i++) {
                    int n = next.getAndIncrement();
                    exchange(server.getLocalPort(),
                            InetAddress.getByAddress(new byte[] {127, 1, (byte) (n / 250), (byte) (n % 250 + 1)}));
                }
            });
            acceptor.get(240, TimeUnit.SECONDS);
            shutdown(handlers);
            print("port", server.getLocalPort());
        }
        shutdown(pool);
        printSocketCounts(total);
    }

    /** TASKS virtual threads: each appends 64 bytes to one of 100 files, then makes one loopback connection. */
    /** Virtual-thread tasks holding descriptors at once (see {@link #virtual}). */
    private static final int IN_FLIGHT = 2000;

    static void virtual(Path dir, int tasks) throws Exception {
        ExecutorService vts = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        File[] files = new File[100];
        for (int i = 0; i < files.length; i++) {
            files[i] = dir.resolve("v-" + i + ".dat").toFile();
        }
        LongAdder writes = new LongAdder();
        try (ServerSocket server = new ServerSocket(0, 4096, LOOPBACK)) {
            Future<?> acceptor = acceptLoop(server, tasks, vts);
            List<Future<?>> done = new ArrayList<>(tasks);
            // every task's thread exists at once, but at most IN_FLIGHT of them hold descriptors: a task uses a file,
            // a client socket and (on the server side) an accepted one, and ten thousand tasks at once could pass
            // the process's descriptor limit (20,000 here) when the acceptor falls behind ("Too many open files",
            // seen once in a CI run)
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(IN_FLIGHT);
            for (int i = 0; i < tasks; i++) {
                File file = files[i % files.length];
                done.add(vts.submit((Callable<Void>) () -> {
                    inFlight.acquire();
                    try {
                        try (FileOutputStream out = new FileOutputStream(file, true)) {
                            out.write(new byte[64]); // SITE:virtualWrite
                            writes.increment();
                        }
                        exchange(server.getLocalPort(), LOOPBACK);
                    } finally {
                        inFlight.release();
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            for (Future<?> f : done) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            acceptor.get(240, TimeUnit.SECONDS);
            print("port", server.getLocalPort());
        } catch (java.util.concurrent.TimeoutException e) {
            stuck();
        }
        shutdown(vts);
        print("virtualWrites", writes.sum());
        long size = 0;
        for (File f : files) {
            size += f.length();
        }
        print("virtualSize", size);
        printSocketCounts(tasks);
    }

    private static Future<?> acceptLoop(ServerSocket server, int total, ExecutorService handlers) {
        ExecutorService acceptor = Executors.newSingleThreadExecutor();
        Future<?> f = acceptor.submit((Callable<Void>) () -> {
            for (int i = 0; i < total; i++) {
                Socket s = server.accept(); // SITE:accept
                handlers.submit((Callable<Void>) () -> {
                    serve(s);
                    return null;
                });
            }
            return null;
        });
        acceptor.shutdown();
        return f;
    }

    /** Client side: connect, write a 100-byte request, read the 10-byte answer, close with a reset (no TIME_WAIT). */
    static void exchange(int port, InetAddress from) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(LOOPBACK, port)); // SITE:connect
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(new byte[REQUEST]); // SITE:clientWrite
            byte[] buf = new byte[RESPONSE];
            int got = 0;
            while (got < RESPONSE) {
                int n = in.read(buf, got, RESPONSE - got); // SITE:clientRead
                CLIENT_READS.increment();
                if (n < 0) {
                    throw new EOFException("server closed after " + got + " bytes");
                }
                CLIENT_READ_BYTES.add(n);
                got += n;
            }
            s.setSoLinger(true, 0);
        }
    }

    /** Server side: read the request, answer, close. */
    static void serve(Socket s) throws IOException {
        try (s) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[REQUEST];
            int got = 0;
            while (got < REQUEST) {
                int n = in.read(buf, got, REQUEST - got); // SITE:serverRead
                SERVER_READS.increment();
                if (n < 0) {
                    throw new EOFException("client closed after " + got + " bytes");
                }
                SERVER_READ_BYTES.add(n);
                got += n;
            }
            s.getOutputStream().write(new byte[RESPONSE]); // SITE:serverWrite
        }
    }

    private static void printSocketCounts(int connections) {
        print("connections", connections);
        print("clientReads", CLIENT_READS.sum());
        print("clientReadBytes", CLIENT_READ_BYTES.sum());
        print("serverReads", SERVER_READS.sum());
        print("serverReadBytes", SERVER_READ_BYTES.sum());
    }

    // ------------------------------------------------------------------ a million names

    /** COUNT distinct files, each created, written once (16 bytes) and deleted; then the live heap after GC. */
    static void names(Path dir, int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        LongAdder writes = new LongAdder();
        runAll(pool, threads, t -> {
            byte[] rec = new byte[16];
            Path sub = Files.createDirectories(dir.resolve("t" + t));
            for (int i = t; i < count; i += threads) {
                File f = sub.resolve("name-" + i).toFile();
                try (FileOutputStream out = new FileOutputStream(f)) {
                    out.write(rec); // SITE:nameWrite
                    writes.increment();
                }
                if (!f.delete()) {
                    throw new IOException("not deleted: " + f);
                }
            }
        });
        shutdown(pool);
        print("nameWrites", writes.sum());
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        print("heapUsed", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    // ------------------------------------------------------------------ temp files forced per write

    /**
     * COUNT temp files over THREADS threads, as a gateway stores an upload: each file written twice (16 bytes), forced
     * after each write through the stream's channel, renamed into place and deleted.
     */
    static void forced(Path dir, int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        LongAdder writes = new LongAdder();
        LongAdder forces = new LongAdder();
        runAll(pool, threads, t -> {
            byte[] rec = new byte[16];
            Path sub = Files.createDirectories(dir.resolve("t" + t));
            for (int i = t; i < count; i += threads) {
                Path tmp = sub.resolve("upload-" + i + ".tmp");
                try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                    for (int part = 0; part < 2; part++) {
                        out.write(rec); // SITE:forcedWrite
                        writes.increment();
                        out.getChannel().force(false); // SITE:forcedForce
                        forces.increment();
                    }
                }
                Path done = sub.resolve("object-" + i);
                Files.move(tmp, done, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Files.delete(done);
            }
        });
        shutdown(pool);
        print("forcedWrites", writes.sum());
        print("forcedForces", forces.sum());
    }

    // ------------------------------------------------------------------ helpers

    interface Task {
        void run(int thread) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads released together; fails the host if one fails or hangs. */
    static void runAll(ExecutorService pool, int threads, Task task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            fs.add(pool.submit((Callable<Void>) () -> {
                start.await();
                task.run(id);
                return null;
            }));
        }
        start.countDown();
        // generous: a million file creations with the agent take minutes on a loaded 2-core machine
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(540);
        try {
            for (Future<?> f : fs) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            stuck();
        }
    }

    static void shutdown(ExecutorService pool) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(120, TimeUnit.SECONDS)) {
            stuck();
        }
    }

    static void stuck() {
        System.out.println("stuck");
        for (java.lang.management.ThreadInfo ti : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            System.err.print(ti);
        }
        System.out.flush();
        Runtime.getRuntime().halt(2);
    }

    static void print(String key, long value) {
        System.out.println(key + "=" + value);
    }
}
