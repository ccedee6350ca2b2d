package dev.hotpath.samples.common;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a started service until the JVM is asked to stop (SIGTERM/SIGINT): the shutdown hook closes the service —
 * in-flight requests finish, buffers are flushed, leases released — and prints {@code NAME stopped}.
 */
public final class Daemon {
    private Daemon() {
    }

    public static void runUntilShutdown(String name, AutoCloseable service) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
                System.out.println(name + " stopped");
                System.out.flush();
            } catch (Exception e) {
                System.err.println(name + ": error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, name + "-shutdown"));
        stopped.await();
    }
}
