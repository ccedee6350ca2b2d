package dev.hotpath.nativemem.nmt;

import java.util.List;
import java.util.Map;

/**
 * One parsed {@code jcmd PID VM.native_memory ...} output.
 *
 * @param pid         the process id jcmd printed on its first line, or -1
 * @param epochMillis when it was taken: from a {@code # hotpath epochMillis=N} first line (written by
 *                    {@code hotpath record}), otherwise -1 (callers fall back to the file's modification time)
 * @param categories  by category name, in printed order
 * @param sites       malloc and mmap sites ({@link Kind#DETAIL} and {@link Kind#DETAIL_DIFF} only), in printed order
 *                    (largest first)
 */
public record NmtReport(Kind kind, long pid, long epochMillis, long totalReservedKb, long totalCommittedKb,
                        long totalReservedDeltaKb, long totalCommittedDeltaKb, long mallocKb, long mmapCommittedKb,
                        Map<String, NmtCategory> categories, List<NmtSite> sites) {

    /** {@code DIFF} is {@code summary.diff}, {@code DETAIL_DIFF} is {@code detail.diff}. */
    public enum Kind { SUMMARY, DETAIL, DIFF, DETAIL_DIFF }

    public NmtReport {
        categories = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(categories));
        sites = List.copyOf(sites);
    }

    /**
     * True for {@code summary.diff} and {@code detail.diff}: their sizes are still the current ones (the deltas
     * since the baseline come after them), so a diff is also a point of a time series.
     */
    public boolean isDiff() {
        return kind == Kind.DIFF || kind == Kind.DETAIL_DIFF;
    }

    /** The category's committed KiB, 0 when the category was omitted (NMT omits categories under 1 KB). */
    public long committedKb(String category) {
        NmtCategory c = categories.get(category);
        return c == null ? 0 : c.committedKb();
    }

    /** Threads NMT counts ({@code thread #N} in JDK 17, {@code threads #N} in JDK 21+), or -1 if absent. */
    public long threadCount() {
        NmtCategory c = categories.get("Thread");
        return c == null ? -1 : c.count();
    }

    public NmtReport withEpochMillis(long millis) {
        return new NmtReport(kind, pid, millis, totalReservedKb, totalCommittedKb, totalReservedDeltaKb,
                totalCommittedDeltaKb, mallocKb, mmapCommittedKb, categories, sites);
    }
}
