package dev.hotpath.cli.record.testapp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

/**
 * A JVM with a known native fault, run under {@code hotpath record} by the tests:
 * {@code NativeLeakApp <mode> <statusFile> [exitCode]}. Every 50 ms (fixed rate, so the leak rate does not depend
 * on how loaded the machine is) it leaks one unit:
 * <ul>
 *   <li>{@code deflater}: a Deflater never ended (~256 KiB of zlib state in malloc'd memory, invisible to NMT);</li>
 *   <li>{@code direct}: a 256 KiB direct ByteBuffer kept reachable (NMT "Other");</li>
 *   <li>{@code thread}: a thread that sleeps forever;</li>
 *   <li>{@code clean}: nothing (it allocates and drops small objects);</li>
 *   <li>{@code touch}: keeps a 400 KB byte[] (up to 400 of them, 160 MB): the Java heap's committed pages become
 *   resident as they are first written — RSS grows, NMT does not, nothing leaks natively;</li>
 *   <li>{@code exit}: exits at once with {@code exitCode}.</li>
 * </ul>
 * On shutdown (SIGTERM from record) it writes {@code created=N firstMillis=T0 lastMillis=T1} to the status file;
 * with {@code -Dleak.checkJfr=FILE} also {@code jfrMallocsAtExit=N}, the {@code profiler.Malloc} events that FILE
 * holds at that moment (or {@code unreadable}), and with {@code -Dleak.hangOnExit=true} the hook then never returns
 * (a JVM that must be killed: its VM-exit handlers never run). {@code <statusFile>.started} appears once main runs.
 */
public final class NativeLeakApp {
    /** Where tick allocates (class.method:line, as the findings name it): keep in step with the lines below. */
    public static final String DEFLATER_SITE = "dev.hotpath.cli.record.testapp.NativeLeakApp.tick:78";
    public static final String DIRECT_SITE = "dev.hotpath.cli.record.testapp.NativeLeakApp.tick:95";
    /** Where an Inflater's 32 KiB window is malloc'd: its first inflate (its ~7 KB state is at line 100). */
    public static final String INFLATE_SITE = "dev.hotpath.cli.record.testapp.NativeLeakApp.tick:103";
    private static final List<Object> KEEP = new ArrayList<>();
    private static volatile long created;
    private static volatile long first;
    private static volatile long last;

    private NativeLeakApp() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path status = Path.of(args[1]);
        if (mode.equals("exit")) {
            System.exit(Integer.parseInt(args[2]));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                String jfr = System.getProperty("leak.checkJfr");
                Files.writeString(status, "created=" + created + " firstMillis=" + first + " lastMillis=" + last
                        + (jfr == null ? "" : " jfrMallocsAtExit=" + mallocs(Path.of(jfr))) + "\n");
            } catch (IOException ignored) {
                // the test reports the missing file
            }
            if (Boolean.getBoolean("leak.hangOnExit")) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException ignored) {
                    // killed before this ends
                }
            }
        }));
        Files.writeString(Path.of(args[1] + ".started"), ""); // the shutdown hook is in place: SIGTERM is graceful now
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        s.scheduleAtFixedRate(() -> tick(mode), 0, 50, TimeUnit.MILLISECONDS);
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void tick(String mode) {
        long now = System.currentTimeMillis();
        switch (mode) {
            case "deflater" -> {
                Deflater d = new Deflater();
                d.setInput(new byte[128]);
                d.finish();
                d.deflate(new byte[256]);
                synchronized (KEEP) {
                    KEEP.add(d);
                }
            }
            case "touch" -> {
                synchronized (KEEP) {
                    if (KEEP.size() < 400) {
                        KEEP.add(new byte[400_000]);
                    }
                }
            }
            case "direct" -> {
                synchronized (KEEP) {
                    KEEP.add(ByteBuffer.allocateDirect(256 * 1024));
                }
            }
            case "inflater" -> {
                for (int i = 0; i < 4; i++) {
                    java.util.zip.Inflater inf = new java.util.zip.Inflater();
                    inf.setInput(Zipped.DATA);
                    try {
                        inf.inflate(new byte[64]);
                    } catch (java.util.zip.DataFormatException e) {
                        throw new IllegalStateException(e);
                    }
                    synchronized (KEEP) {
                        KEEP.add(inf);
                    }
                }
            }
            case "pool" -> {
                // 64 Deflaters made in the first 3.2 s and kept for the run, as a pool is: unfreed, but not growing
                synchronized (KEEP) {
                    if (KEEP.size() >= 64) {
                        return;
                    }
                    Deflater d = new Deflater();
                    d.setInput(new byte[128]);
                    d.finish();
                    d.deflate(new byte[256]);
                    KEEP.add(d);
                }
            }
            case "intern" -> {
                // ever-new interned strings kept reachable: the JVM's StringTable (NMT "Symbol") grows with them
                synchronized (KEEP) {
                    for (int i = 0; i < 2000; i++) {
                        KEEP.add(("request-key-" + created + "-" + i).intern());
                    }
                }
            }
            case "thread" -> {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException ignored) {
                        // never interrupted: this is the leak
                    }
                }, "leaked-worker");
                t.setDaemon(true);
                t.start();
            }
            default -> {
                byte[][] garbage = new byte[64][];
                for (int i = 0; i < garbage.length; i++) {
                    garbage[i] = new byte[1024];
                }
                if (garbage[63].length != 1024) {
                    throw new IllegalStateException();
                }
                return;
            }
        }
        if (first == 0) {
            first = now;
        }
        last = now;
        created++;
    }

    private static String mallocs(Path jfr) {
        long n = 0;
        try (jdk.jfr.consumer.RecordingFile f = new jdk.jfr.consumer.RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                if (f.readEvent().getEventType().getName().equals("profiler.Malloc")) {
                    n++;
                }
            }
            return Long.toString(n);
        } catch (IOException | RuntimeException e) {
            return "unreadable";
        }
    }

    public static String classPath() {
        try {
            return Path.of(NativeLeakApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Mode {@code inflater} leaks four Inflaters a tick, never ended, each after inflating these 128 zero bytes: zlib's
     * inflate state is malloc'd at {@code new Inflater()}, its 32 KiB window at the first {@code inflate}. (A holder
     * class at the end: a field at the top, or a line in the class comment, would move the sites' line numbers.)
     */
    private static final class Zipped {
        static final byte[] DATA;

        static {
            Deflater d = new Deflater();
            d.setInput(new byte[128]);
            d.finish();
            byte[] out = new byte[256];
            int n = d.deflate(out);
            d.end();
            DATA = java.util.Arrays.copyOf(out, n);
        }
    }
}
