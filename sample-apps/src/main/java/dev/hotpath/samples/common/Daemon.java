package dev.hotpath.samples.common;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a started service until the JVM is asked to stop (SIGTERM/SIGINT): the shutdown hook closes the service —
 * in-flight requests finish, buffers are flushed, leases released — and prints {@code NAME stopped}.
 */
public final class Daemon {
    /**
     * The service this JVM runs, in a static field as a service's singleton usually is. Besides the shutdown hook it
     * gives heap dumps a stable name for everything the service holds ({@code static ...Daemon.service.cache...}),
     * the same in every dump of the process, where a frame local is named by its object's address.
     */
    static volatile AutoCloseable service;

    private Daemon() {
    }

    public static void runUntilShutdown(String name, AutoCloseable service) throws InterruptedException {
        Daemon.service = service;
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
