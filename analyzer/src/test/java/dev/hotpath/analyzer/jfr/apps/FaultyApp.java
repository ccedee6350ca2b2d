package dev.hotpath.analyzer.jfr.apps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One JVM doing six known bad things at once for {@code args[0]} milliseconds: a monitor convoy on {@link Ledger},
 * a ReentrantLock convoy on {@link Inventory}, an allocation hot spot in {@link Churn}, a growing map in
 * {@link SessionCache}, System.gc() calls from {@link Maintenance}, a thread leak from {@link Spawner} and an
 * exception storm in {@link Parser}. Each behaviour lives in its own class so the findings can name it.
 */
public final class FaultyApp {
    static volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        long millis = Long.parseLong(args[0]);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(new Thread(Ledger::loop, "convoy-" + i));
        }
        for (int i = 0; i < 3; i++) {
            threads.add(new Thread(Inventory::loop, "reserver-" + i));
        }
        threads.add(new Thread(Churn::loop, "churner"));
        threads.add(new Thread(SessionCache::loop, "cache-filler"));
        threads.add(new Thread(Maintenance::loop, "maintenance"));
        threads.add(new Thread(Spawner::loop, "spawner"));
        threads.add(new Thread(Parser::loop, "parser"));
        for (Thread t : threads) {
            t.start();
        }
        Thread.sleep(millis);
        running = false;
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("cache " + SessionCache.size() + " spawned " + Spawner.spawned + " sink " + Churn.sink);
    }

    /** Holds its monitor for 15 ms per post: four threads queue behind each other. */
    public static final class Ledger {
        static final Ledger INSTANCE = new Ledger();

        static void loop() {
            while (running) {
                INSTANCE.post();
            }
        }

        synchronized void post() {
            sleep(15);
        }
    }

    /** The same convoy on a ReentrantLock (parks on ReentrantLock$NonfairSync). */
    public static final class Inventory {
        static final ReentrantLock LOCK = new ReentrantLock();

        static void loop() {
            while (running) {
                reserve();
            }
        }

        static void reserve() {
            LOCK.lock();
            try {
                sleep(15);
            } finally {
                LOCK.unlock();
            }
        }
    }

    /** Allocates 32 KB buffers as fast as it can. */
    public static final class Churn {
        static volatile int sink;

        static void loop() {
            while (running) {
                sink += makeGarbage().length;
            }
        }

        static byte[] makeGarbage() {
            byte[] b = new byte[32 * 1024];
            b[sink & 1023] = 1;
            return b;
        }
    }

    /** A map that only grows: 8 KB per entry, one entry per millisecond (about 8 MB/s). */
    public static final class SessionCache {
        static final Map<Long, byte[]> SESSIONS = new HashMap<>();

        static void loop() {
            long id = 0;
            while (running) {
                remember(id++);
                sleep(1);
            }
        }

        static void remember(long id) {
            synchronized (SESSIONS) {
                SESSIONS.put(id, new byte[8 * 1024]);
            }
        }

        static int size() {
            synchronized (SESSIONS) {
                return SESSIONS.size();
            }
        }
    }

    /** Calls System.gc() every 1.5 s. */
    public static final class Maintenance {
        static void loop() {
            while (running) {
                sleep(1500);
                if (running) {
                    compact();
                }
            }
        }

        static void compact() {
            System.gc();
        }
    }

    /** Starts a thread every 20 ms that never ends (daemon, so the JVM can still exit). */
    public static final class Spawner {
        static volatile int spawned;

        static void loop() {
            while (running) {
                Thread t = new Thread(() -> sleep(Long.MAX_VALUE), "leaky-worker-" + spawned++);
                t.setDaemon(true);
                t.start();
                sleep(20);
            }
        }
    }

    /** Parses garbage and swallows the NumberFormatException, 16 times a millisecond (at most 16000 a second). */
    public static final class Parser {
        static long failures;

        static void loop() {
            while (running) {
                for (int i = 0; i < 16; i++) {
                    parseQuietly("not-a-number");
                }
                sleep(1);
            }
        }

        static int parseQuietly(String s) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                failures++;
                return -1;
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
