package dev.hotpath.nativemem.nmt;

import java.util.List;

/**
 * An allocation site from NMT {@code detail} output: the native stack (innermost frame first, as jcmd prints it) and
 * what it holds.
 *
 * @param mmap     true for a virtual-memory site ({@code reserved=..., committed=...}), false for a malloc site
 * @param kb       malloc'd KiB, or committed KiB for an mmap site
 * @param count    number of live mallocs (0 for mmap sites)
 * @param category the NMT category ({@code type=} in JDK 17, {@code tag=} in JDK 21+)
 * @param deltaKb  change of {@code kb} since the baseline in {@code detail.diff} output, 0 otherwise
 */
public record NmtSite(List<String> frames, boolean mmap, long kb, long count, String category, long deltaKb) {

    public NmtSite(List<String> frames, boolean mmap, long kb, long count, String category) {
        this(frames, mmap, kb, count, category, 0);
    }
}
