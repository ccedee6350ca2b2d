package dev.hotpath.agent;

import dev.hotpath.agent.bootstrap.Recorder;
import dev.hotpath.agent.bootstrap.SiteCounter;
import dev.hotpath.agent.export.JfrSink;
import dev.hotpath.agent.export.MetricsServer;
import dev.hotpath.agent.export.PrometheusText;
import dev.hotpath.agent.export.SettledCounts;
import dev.hotpath.agent.export.SnapshotFile;
import dev.hotpath.agent.export.SnapshotJson;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Starts what the options ask for: the periodic and at-exit snapshot file, the HTTP endpoints and the JFR event sink.
 * Every thread involved belongs to the agent's thread group, so the recorder does not trace the agent's own I/O.
 * A failing exporter reports one line and the others (and the host) carry on.
 */
final class Exporters {
    private Exporters() {
    }

    static String snapshotJson() {
        return SnapshotJson.render(ProcessHandle.current().pid(), Recorder.startedAtMillis(),
                System.currentTimeMillis(), Recorder.dropped(), Recorder.counters());
    }

    /**
     * The exit snapshot: recording stops, then the keys are read once the operations in flight have finished
     * ({@link SettledCounts}: passes {@value #SETTLE_PAUSE_MILLIS} ms apart, at most {@value #SETTLE_PASSES}), so
     * that each key's count and bytes describe the same operations. Operations the host begins after this point (its
     * other shutdown hooks, threads still running) are not recorded; before, they raced with the render and were in
     * the snapshot or not by chance, and could be in its bytes but not its count.
     */
    static String exitSnapshotJson() throws InterruptedException {
        Recorder.disable();
        SettledCounts counts = SettledCounts.read(RECORDER, SETTLE_PASSES, SETTLE_PAUSE_MILLIS);
        return SnapshotJson.render(ProcessHandle.current().pid(), Recorder.startedAtMillis(),
                System.currentTimeMillis(), counts);
    }

    /**
     * A thread preempted inside an operation waits for a core; 10 ms is a few scheduler slices on a busy 2-core
     * machine, and the exit waits at most 20 x 10 ms.
     */
    static final long SETTLE_PAUSE_MILLIS = 10;
    static final int SETTLE_PASSES = 20;

    private static final SettledCounts.Source RECORDER = new SettledCounts.Source() {
        @Override
        public SiteCounter[] counters() {
            return Recorder.counters();
        }

        @Override
        public long dropped() {
            return Recorder.dropped();
        }
    };

    static String metricsText() {
        return PrometheusText.render(Recorder.counters(), Recorder.dropped());
    }

    static void start(AgentOptions o, ThreadGroup group) throws InterruptedException {
        if (o.jfr) {
            try {
                jdk.jfr.FlightRecorder.register(dev.hotpath.agent.export.JfrIoEvent.class);
                Recorder.eventSink(new JfrSink(), o.jfrThresholdNanos);
            } catch (Throwable t) {
                System.err.println("hotpath-agent: JFR events off: " + t);
            }
        }
        if (o.port > 0) {
            // started from a daemon thread of the group, so that the server's dispatcher thread joins the group
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread starter = new Thread(group, new StartServer(o.port, group, failure), "hotpath-agent-start");
            starter.setDaemon(true); // inherited by the server's dispatcher thread: it must not keep the host alive
            starter.start();
            starter.join();
            if (failure.get() != null) {
                System.err.println("hotpath-agent: /metrics not served on 127.0.0.1:" + o.port + ": " + failure.get());
            }
        }
        if (o.snapshot != null) {
            Thread writer = new Thread(group, new PeriodicSnapshot(o), "hotpath-agent-snapshot");
            writer.setDaemon(true);
            writer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(group, new WriteSnapshot(o), "hotpath-agent-exit"));
        }
    }

    private static final class StartServer implements Runnable {
        private final int port;
        private final ThreadGroup group;
        private final AtomicReference<Throwable> failure;

        StartServer(int port, ThreadGroup group, AtomicReference<Throwable> failure) {
            this.port = port;
            this.group = group;
            this.failure = failure;
        }

        @Override
        public void run() {
            try {
                new MetricsServer(port, group, new Supplier<String>() {
                    @Override
                    public String get() {
                        return snapshotJson();
                    }
                }, new Supplier<String>() {
                    @Override
                    public String get() {
                        return metricsText();
                    }
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        }
    }

    /**
     * The periodic writer and the exit hook write under this lock, and no periodic write starts once the exit hook
     * has written: a JVM halting after its hooks never cuts a periodic write short and leaves its temp file behind.
     */
    private static final Object SNAPSHOT_LOCK = new Object();
    private static boolean exitWritten;

    private static final class WriteSnapshot implements Runnable {
        private final AgentOptions o;

        WriteSnapshot(AgentOptions o) {
            this.o = o;
        }

        @Override
        public void run() {
            try {
                synchronized (SNAPSHOT_LOCK) {
                    exitWritten = true;
                    SnapshotFile.write(o.snapshot, exitSnapshotJson());
                }
            } catch (Throwable t) {
                System.err.println("hotpath-agent: snapshot not written to " + o.snapshot + ": " + t);
            }
        }
    }

    private static final class PeriodicSnapshot implements Runnable {
        private final AgentOptions o;

        PeriodicSnapshot(AgentOptions o) {
            this.o = o;
        }

        @Override
        public void run() {
            boolean reported = false;
            while (true) {
                try {
                    Thread.sleep(o.intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    synchronized (SNAPSHOT_LOCK) {
                        if (exitWritten) {
                            return;
                        }
                        SnapshotFile.write(o.snapshot, snapshotJson());
                    }
                } catch (Throwable t) {
                    if (!reported) {
                        System.err.println("hotpath-agent: snapshot not written to " + o.snapshot + ": " + t);
                        reported = true;
                    }
                }
            }
        }
    }
}
