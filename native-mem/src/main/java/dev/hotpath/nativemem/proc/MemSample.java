package dev.hotpath.nativemem.proc;

/**
 * One process-memory sample, in KiB; -1 where the kernel did not provide the value (e.g. no {@code smaps_rollup}
 * before Linux 4.14). The column order is the RSS timeline format ({@code # hotpath-rss v1}, FORMATS.md).
 *
 * @param threads from {@code Threads:} in {@code /proc/PID/status}; not part of the timeline file (-1 when read back)
 */
public record MemSample(long epochMillis, long rssKb, long pssKb, long anonKb, long fileKb, long swapKb, long threads) {
}
