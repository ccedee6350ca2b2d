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
        System.out.println("spawned=" + Spawner.spawned + " failures=" + Parser.failures + " cache="
                + SessionCache.size() + " gcCalls=" + Maintenance.calls + " churnBuffers=" + Churn.buffers);
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

    /**
     * Allocates 13 buffers of 32 KB per elapsed millisecond (about 406 MB/s), paced by the clock so that the rate
     * does not depend on how much CPU the shared test machine gives this JVM (as long as it gives a little).
     */
    public static final class Churn {
        static volatile int sink;
        static volatile long buffers;

        static void loop() {
            long start = System.nanoTime();
            long done = 0;
            while (running) {
                long due = (System.nanoTime() - start) / 1_000_000 * 13;
                while (done < due) {
                    sink += makeGarbage().length;
                    done++;
                }
                buffers = done;
                sleep(1);
            }
        }

        static byte[] makeGarbage() {
            byte[] b = new byte[32 * 1024];
            b[sink & 1023] = 1;
            return b;
        }
    }

    /**
     * A map that only grows by 10 KB per elapsed millisecond (10 MB/s). Paced by the clock, catching up after the
     * thread was descheduled, so the growth does not depend on how busy the machine is.
     */
    public static final class SessionCache {
        static final Map<Long, byte[]> SESSIONS = new HashMap<>();

        static void loop() {
            long id = 0;
            long start = System.nanoTime();
            while (running) {
                long due = (System.nanoTime() - start) / 1_000_000;
                while (id < due) {
                    remember(id++);
                }
                sleep(1);
            }
        }

        static void remember(long id) {
            synchronized (SESSIONS) {
                SESSIONS.put(id, new byte[10 * 1000]);
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

        static int calls;

        static void compact() {
            calls++;
            System.gc();
        }
    }

    /** Starts a thread per 20 elapsed ms (paced by the clock) that never ends (daemon, so the JVM can exit). */
    public static final class Spawner {
        static volatile int spawned;

        static void loop() {
            long start = System.nanoTime();
            while (running) {
                long due = (System.nanoTime() - start) / 20_000_000;
                while (spawned < due) {
                    Thread t = new Thread(() -> sleep(Long.MAX_VALUE), "leaky-worker-" + spawned++);
                    t.setDaemon(true);
                    t.start();
                }
                sleep(5);
            }
        }
    }

    /** Parses garbage and swallows the NumberFormatException, 5 times per elapsed millisecond (5000 a second). */
    public static final class Parser {
        static long failures;

        static void loop() {
            long start = System.nanoTime();
            long done = 0;
            while (running) {
                long due = (System.nanoTime() - start) / 200_000;
                while (done < due) {
                    parseQuietly("not-a-number");
                    done++;
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
