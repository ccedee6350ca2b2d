package dev.hotpath.nativemem.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Samples a Linux process's memory from {@code /proc/PID/status} (VmRSS, RssAnon, RssFile, VmSwap, Threads) and
 * {@code /proc/PID/smaps_rollup} (Pss). Both files are a few hundred bytes; one sample costs two small reads, which
 * is what keeps {@code hotpath record}'s one-per-second timeline cheap (bench.record measures it).
 *
 * <p>Not thread-safe: one sampler per sampling thread (it reuses a byte buffer).
 */
public final class ProcMemSampler {
    private final Path status;
    private final Path smapsRollup;
    private boolean rollupMissing;

    public ProcMemSampler(long pid) {
        this(Path.of("/proc", Long.toString(pid)));
    }

    /** @param procDir a {@code /proc/PID} directory (tests may pass a copy) */
    public ProcMemSampler(Path procDir) {
        this.status = procDir.resolve("status");
        this.smapsRollup = procDir.resolve("smaps_rollup");
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
        long pss = -1;
        if (!rollupMissing) {
            try {
                pss = field(Files.readString(smapsRollup, StandardCharsets.US_ASCII), "Pss:");
            } catch (NoSuchFileException e) {
                rollupMissing = !Files.exists(status.getParent());
            } catch (IOException e) {
                rollupMissing = true; // no smaps_rollup on this kernel, or not permitted: keep the other columns
            }
        }
        if (file >= 0 && shmem > 0) {
            file += shmem; // shared memory is file-backed (tmpfs) as far as a leak hunt is concerned
        }
        return new MemSample(now, rss, pss, anon, file, swap, threads);
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
