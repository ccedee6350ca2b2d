package dev.hotpath.alloc.proc;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the resident set of a process tree every {@code intervalMillis} on its own thread, until {@link #stop()}.
 *
 * <p>The root (the runner's wrapper shell) is excluded: only its descendants, i.e. the command itself, are summed.
 * Peak RSS is the larger of the largest sampled tree sum and the largest {@code VmHWM} any single process reported
 * (VmHWM is exact for one process but cannot be summed over processes that peak at different times; a sampled sum can
 * miss a peak shorter than the interval). End RSS is the last sample in which no process of the tree was already
 * tearing down ({@link ProcFs#PF_EXITING}), so the exit itself does not masquerade as a freed heap.
 *
 * <p>Thread-safety: {@link #start()}/{@link #stop()} from one thread; results are read after {@code stop()} returns.
 */
public final class RssSampler implements Runnable {
    private final long rootPid;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;
    private Thread thread;

    private long[] offsetsMs = new long[64];
    private long[] rssKb = new long[64];
    private int count;
    private long peakSumKb;
    private long peakHwmKb;
    private long endKb = -1;
    private long[] pids = new long[16];
    private int npids;

    public RssSampler(long rootPid, long intervalMillis) {
        this.rootPid = rootPid;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    }

    public void start() {
        thread = new Thread(this, "hotpath-rss-sampler-" + rootPid);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops sampling and waits for the sampler thread; results are complete once this returns. */
    public void stop() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join();
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        while (running) {
            sample();
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private void sample() {
        npids = 0;
        collect(rootPid);
        long sum = 0;
        boolean any = false;
        boolean exiting = false;
        // pids[0] is the root itself; start at 1
        for (int i = 1; i < npids; i++) {
            long[] rh = ProcFs.rssAndHwmKb(pids[i]);
            if (rh[0] < 0) {
                continue;
            }
            any = true;
            sum += rh[0];
            peakHwmKb = Math.max(peakHwmKb, rh[1]);
            if (ProcFs.exiting(pids[i])) {
                exiting = true;
            }
        }
        if (!any) {
            return;
        }
        peakSumKb = Math.max(peakSumKb, sum);
        if (!exiting) {
            endKb = sum;
        }
        if (count == rssKb.length) {
            rssKb = Arrays.copyOf(rssKb, count * 2);
            offsetsMs = Arrays.copyOf(offsetsMs, count * 2);
        }
        offsetsMs[count] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        rssKb[count] = sum;
        count++;
    }

    private void collect(long pid) {
        if (npids == pids.length) {
            pids = Arrays.copyOf(pids, npids * 2);
        }
        int self = npids;
        pids[npids++] = pid;
        ProcFs.children(pids[self], this::collect);
    }

    public long peakRssKb() {
        return Math.max(peakSumKb, peakHwmKb);
    }

    /** Last sample before the tree began to exit, or -1 when no sample was taken (a command that lived &lt; 1 interval). */
    public long endRssKb() {
        return endKb;
    }

    public int samples() {
        return count;
    }

    public long[] offsetsMillis() {
        return Arrays.copyOf(offsetsMs, count);
    }

    public long[] rssKbTimeline() {
        return Arrays.copyOf(rssKb, count);
    }
}
