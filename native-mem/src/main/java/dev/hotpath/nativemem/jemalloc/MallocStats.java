package dev.hotpath.nativemem.jemalloc;

/**
 * The totals of jemalloc's {@code malloc_stats_print} ("Allocated: ..., active: ..., metadata: ..., resident: ...,
 * mapped: ..., retained: ..."), in bytes.
 *
 * <ul>
 *   <li>{@code allocated}: bytes the application holds;</li>
 *   <li>{@code active}: bytes in pages holding live allocations — {@code active - allocated} is internal
 *       fragmentation (partly filled slabs);</li>
 *   <li>{@code resident}: bytes physically resident in jemalloc's mappings (includes dirty pages not yet purged);</li>
 *   <li>{@code retained}: virtual memory kept mapped but returned to the OS.</li>
 * </ul>
 *
 * @param narenas the {@code opt.narenas} setting, or -1
 */
public record MallocStats(String version, long allocated, long active, long metadata, long resident, long mapped,
                          long retained, int narenas) {

    /** {@code (active - allocated) / active}: the share of active pages not holding live data. */
    public double fragmentation() {
        return active <= 0 ? 0 : (double) (active - allocated) / active;
    }

    /** {@code (resident - allocated) / resident}: the share of jemalloc's resident memory not holding live data. */
    public double residentOverhead() {
        return resident <= 0 ? 0 : (double) (resident - allocated) / resident;
    }
}
