package dev.hotpath.nativemem.asprof;

import java.util.List;

/**
 * What an async-profiler {@code nativemem} recording says about memory never freed.
 *
 * <p>Allocations made after {@code cutoffMillis} are left out: memory allocated just before the recording ended may
 * simply not have been freed yet, and counting it would make every busy program look leaky.
 *
 * @param mallocs          malloc events read (after dropping the profiler's own start-up allocations)
 * @param frees            free events read
 * @param unfreedBytes     bytes allocated in {@code [startMillis, cutoffMillis]} and not freed by {@code cutoffMillis}
 * @param stacks           unfreed bytes by stack, largest first (at most the limit asked for)
 */
public record NativeMemProfile(long startMillis, long endMillis, long cutoffMillis, long mallocs, long frees,
                               long mallocBytes, long unfreedBytes, List<UnfreedStack> stacks) {

    /** The middle of the counted window: {@link UnfreedStack#lateBytes()} were allocated after it. */
    public long midMillis() {
        return startMillis + (cutoffMillis - startMillis) / 2;
    }

    /** Bytes per minute of the unfreed memory allocated in the window's second half. */
    public double lateBytesPerMinute(long lateBytes) {
        long ms = cutoffMillis - midMillis();
        return ms <= 0 ? 0 : lateBytes * 60_000.0 / ms;
    }

    /** Unfreed bytes per minute over the window that counts ({@code start..cutoff}). */
    public double unfreedBytesPerMinute(long bytes) {
        long ms = cutoffMillis - startMillis;
        return ms <= 0 ? 0 : bytes * 60_000.0 / ms;
    }
}
