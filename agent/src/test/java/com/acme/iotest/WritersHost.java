package com.acme.iotest;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * THREADS threads each append 100-byte records to a file of their own (pausing 1 ms every 64) until told to stop, counting the writes they
 * start and complete. For the agent's shutdown and attach tests, which compare the snapshot with these counts.
 *
 * <pre>
 * WritersHost sigterm DIR THREADS   prints warm=N (writes completed so far) once N &gt;= 20000; a shutdown hook stops
 *                                   the writers, waits for them and prints started= and completed=
 * WritersHost attach DIR THREADS    prints running; then answers stdin lines: "before" (prints before=completed),
 *                                   "after" (prints after=started), "stop" (stops, prints total=, exits)
 * </pre>
 */
public final class WritersHost {
    static final int RECORD = 100;
    static final LongAdder STARTED = new LongAdder();
    static final LongAdder COMPLETED = new LongAdder();
    static volatile boolean stop;

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[1]);
        int threads = Integer.parseInt(args[2]);
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            Path file = dir.resolve("w-" + t + ".dat");
            writers[t] = new Thread(() -> write(file), "writer-" + t);
            writers[t].start();
        }
        if (args[0].equals("sigterm")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop = true;
                join(writers);
                System.out.println("started=" + STARTED.sum());
                System.out.println("completed=" + COMPLETED.sum());
                System.out.flush();
            }));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (COMPLETED.sum() < 20_000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            System.out.println("warm=" + COMPLETED.sum());
            System.out.flush();
            Thread.sleep(120_000); // until the signal
            System.out.println("no signal");
            stop = true;
            return;
        }
        System.out.println("running");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("before")) {
                System.out.println("before=" + COMPLETED.sum());
            } else if (line.equals("after")) {
                System.out.println("after=" + STARTED.sum());
            } else if (line.equals("stop")) {
                break;
            }
            System.out.flush();
        }
        stop = true;
        join(writers);
        System.out.println("total=" + STARTED.sum());
        System.out.println("completed=" + COMPLETED.sum());
        System.out.flush();
    }

    static void write(Path file) {
        byte[] rec = new byte[RECORD];
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            for (long i = 1; !stop; i++) {
                STARTED.increment();
                out.write(rec); // SITE:loopWrite
                COMPLETED.increment();
                if (i % 64 == 0) {
                    Thread.sleep(1); // leave the 2 cores to the attach and the JIT: I/O stays in flight all along
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void join(Thread[] threads) {
        try {
            for (Thread t : threads) {
                t.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
