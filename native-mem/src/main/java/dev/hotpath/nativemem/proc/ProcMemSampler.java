package dev.hotpath.nativemem.proc;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Samples a Linux process's memory from {@code /proc/PID/status} (VmRSS, RssAnon, RssFile, VmSwap, Threads) and
 * {@code /proc/PID/smaps_rollup} (Pss). Reading status costs ~35 µs of CPU. smaps_rollup is small too, but to
 * produce it the kernel walks every page of the process, in the reader's time: 1.5 ms for a JVM of 57 MB RSS and
 * 18 ms for one of 250 MB here (bench.record's machine), so a large service read every second would cost record
 * more than its whole budget. Pss is therefore read at most as often as keeps it within {@value #PSS_CPU_SHARE} of
 * one CPU (after a read that took c of CPU, not again for c / share), and held in between: a sample's Pss is the
 * latest one read.
 *
 * <p>Not thread-safe: one sampler per sampling thread.
 */
public final class ProcMemSampler {
    /** The share of one CPU that reading smaps_rollup may take (ProcMemSamplerTest covers the hold). */
    static final double PSS_CPU_SHARE = 0.005;

    private final Path status;
    private final Path smapsRollup;
    private final double pssCpuShare;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private boolean rollupMissing;
    private long pssKb = -1;
    private long nextPssNanos;
    private boolean pssRead;

    public ProcMemSampler(long pid) {
        this(Path.of("/proc", Long.toString(pid)));
    }

    /** @param procDir a {@code /proc/PID} directory (tests may pass a copy) */
    public ProcMemSampler(Path procDir) {
        this(procDir, PSS_CPU_SHARE);
    }

    ProcMemSampler(Path procDir, double pssCpuShare) {
        this.status = procDir.resolve("status");
        this.smapsRollup = procDir.resolve("smaps_rollup");
        this.pssCpuShare = pssCpuShare;
    }

    /** @return the sample, or {@code null} when the process is gone */
    public MemSample sample() throws IOException {
        long now = System.currentTimeMillis();
        String st;
        try {
            st = Files.readString(status, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        long rss = field(st, "VmRSS:");
        long anon = field(st, "RssAnon:");
        long file = field(st, "RssFile:");
        long shmem = field(st, "RssShmem:");
        long swap = field(st, "VmSwap:");
        long threads = field(st, "Threads:");
        if (!rollupMissing && (!pssRead || System.nanoTime() - nextPssNanos >= 0)) {
            readPss();
        }
        if (file >= 0 && shmem > 0) {
            file += shmem; // shared memory is file-backed (tmpfs) as far as a leak hunt is concerned
        }
        return new MemSample(now, rss, pssKb, anon, file, swap, threads);
    }

    private void readPss() {
        long cpu0 = threads.getCurrentThreadCpuTime();
        try {
            pssKb = field(Files.readString(smapsRollup, StandardCharsets.US_ASCII), "Pss:");
            pssRead = true;
        } catch (NoSuchFileException e) {
            rollupMissing = !Files.exists(status.getParent());
        } catch (IOException e) {
            rollupMissing = true; // no smaps_rollup on this kernel, or not permitted: keep the other columns
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0; // -1 - -1 = 0 where thread CPU time is not supported
        nextPssNanos = System.nanoTime() + (long) (Math.max(0, cpu) / pssCpuShare);
    }

    /** The number after {@code key} on its line, in the unit printed (kB for sizes), or -1 if absent. */
    static long field(String text, String key) {
        int i = text.indexOf(key);
        while (i > 0 && text.charAt(i - 1) != '\n') {
            i = text.indexOf(key, i + 1);
        }
        if (i < 0) {
            return -1;
        }
        int p = i + key.length();
        while (p < text.length() && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
            p++;
        }
        long v = 0;
        int start = p;
        while (p < text.length() && Character.isDigit(text.charAt(p))) {
            v = v * 10 + (text.charAt(p++) - '0');
        }
        return p == start ? -1 : v;
    }
}
