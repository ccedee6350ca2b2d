package dev.hotpath.nativemem.nmt;

/**
 * One NMT category ("Thread", "Class", "Other"...) as printed by {@code VM.native_memory summary|detail|summary.diff}.
 * All sizes are in KiB whatever scale jcmd printed. Deltas are only non-zero in {@code summary.diff} output.
 *
 * @param count      threads for "Thread", classes for "Class", otherwise 0
 * @param countDelta change of {@code count} in a diff
 */
public record NmtCategory(String name, long reservedKb, long committedKb, long reservedDeltaKb, long committedDeltaKb,
                          long mallocKb, long mallocCount, long mmapCommittedKb, long arenaKb,
                          long count, long countDelta) {
}
