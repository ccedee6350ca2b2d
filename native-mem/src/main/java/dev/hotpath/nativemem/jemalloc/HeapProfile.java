package dev.hotpath.nativemem.jemalloc;

import dev.hotpath.nativemem.symbols.ProcMaps;

import java.util.List;

/**
 * A parsed jemalloc {@code heap_v2} profile.
 *
 * @param samplePeriod average bytes between samples ({@code 2^lg_prof_sample}, the number after {@code heap_v2/})
 * @param stacks       every stack with its scaled estimate, in file order
 * @param maps         the {@code MAPPED_LIBRARIES:} section (the process's {@code /proc/self/maps})
 */
public record HeapProfile(long samplePeriod, long sampledObjs, long sampledBytes, List<HeapStack> stacks, ProcMaps maps) {

    /**
     * jemalloc samples an allocation of size {@code s} with probability {@code 1 - exp(-s/period)}, so a stack whose
     * sample holds {@code objs} objects of {@code bytes} total is scaled by {@code 1 / (1 - exp(-(bytes/objs)/period))}
     * — the same estimate jeprof makes (DESIGN.md; HeapProfileParserTest checks it against jeprof's total).
     */
    public static double scale(long objs, long bytes, long period) {
        if (objs <= 0 || bytes <= 0 || period <= 1) {
            return 1.0;
        }
        double avg = (double) bytes / objs;
        return 1.0 / (1.0 - Math.exp(-avg / period));
    }

    /** Estimated live bytes over all stacks. */
    public double totalBytes() {
        double sum = 0;
        for (HeapStack s : stacks) {
            sum += s.bytes();
        }
        return sum;
    }
}
