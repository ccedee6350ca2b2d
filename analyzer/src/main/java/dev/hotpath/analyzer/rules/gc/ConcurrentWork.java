package dev.hotpath.analyzer.rules.gc;

import dev.hotpath.analyzer.jfr.internal.LongList;
import dev.hotpath.analyzer.jfr.internal.Stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the collector's concurrent phases as a reader meets them (a GC log's "Concurrent Mark 67.473ms" lines,
 * JFR's {@code jdk.GCPhaseConcurrent}) and reduces them to per-phase statistics and to the wall time during which at
 * least one concurrent phase ran. Phases nest (G1's "Concurrent Mark Cycle" holds "Concurrent Mark", which holds
 * "Concurrent Mark From Roots") and overlap (generational ZGC's young and old collections run side by side), so the
 * busy time is the union of the phases' intervals, never their sum. Not thread-safe: one per reader.
 */
final class ConcurrentWork {
    private final Map<String, LongList> byPhase = new LinkedHashMap<>();
    private final LongList starts = new LongList(256);
    private final LongList ends = new LongList(256);
    private final LongList cycleIds = new LongList(256);
    private boolean unclocked;

    /**
     * @param gcId  the collection the phase belongs to (GC log {@code GC(n)}, JFR {@code gcId}); -1 when unknown
     * @param endMs when it ended (the clock of {@link GcSummary}), or -1 when the source has no clock
     */
    void phase(int gcId, String name, long endMs, long nanos) {
        if (nanos < 0) {
            return;
        }
        byPhase.computeIfAbsent(name, k -> new LongList()).add(nanos);
        if (gcId >= 0) {
            cycleIds.add(gcId);
        }
        if (endMs < 0) {
            unclocked = true;
            return;
        }
        // the logs print milliseconds with three decimals and the decoration's clock in whole milliseconds: keep
        // the interval at least as long as the phase, from its end back
        long startMs = endMs - (nanos + 999_999) / 1_000_000;
        starts.add(startMs);
        ends.add(endMs);
    }

    boolean isEmpty() {
        return byPhase.isEmpty();
    }

    /** Per phase name, most total time first. */
    List<ConcurrentPhase> phases() {
        List<ConcurrentPhase> out = new ArrayList<>();
        for (Map.Entry<String, LongList> e : byPhase.entrySet()) {
            long[] sorted = e.getValue().toArray();
            Arrays.sort(sorted);
            out.add(new ConcurrentPhase(e.getKey(), sorted.length, e.getValue().sum(), Stats.percentile(sorted, 0.50),
                    Stats.percentile(sorted, 0.99), sorted[sorted.length - 1]));
        }
        out.sort(Comparator.comparingLong(ConcurrentPhase::totalNanos).reversed()
                .thenComparing(ConcurrentPhase::name));
        return out;
    }

    /** Distinct collections that had a concurrent phase. */
    long cycles() {
        long[] ids = cycleIds.toArray();
        Arrays.sort(ids);
        long n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (i == 0 || ids[i] != ids[i - 1]) {
                n++;
            }
        }
        return n;
    }

    /**
     * Milliseconds during which some concurrent phase ran (the union of their intervals), the longest such stretch,
     * the number of stretches, and the part of the union outside the given stop-the-world pauses (a G1 marking cycle
     * spans the young pauses taken meanwhile); all -1 when some phase had no clock (the union would be a guess).
     *
     * @param pauseStartMs pause starts, same clock as the phases
     * @param pauseNanos   their lengths
     */
    long[] busy(long[] pauseStartMs, long[] pauseNanos) {
        if (unclocked || starts.size() == 0) {
            return new long[] {-1, -1, -1, -1};
        }
        long[] st = starts.toArray();
        long[] en = ends.toArray();
        Arrays.sort(st);
        Arrays.sort(en);
        long[] ps = new long[pauseStartMs.length];
        long[] pe = new long[pauseStartMs.length];
        int np = 0;
        for (int k = 0; k < pauseStartMs.length; k++) {
            if (pauseStartMs[k] >= 0) {
                ps[np] = pauseStartMs[k];
                pe[np++] = pauseStartMs[k] + pauseNanos[k] / 1_000_000;
            }
        }
        ps = Arrays.copyOf(ps, np);
        pe = Arrays.copyOf(pe, np);
        Arrays.sort(ps);
        Arrays.sort(pe);
        // one sweep over the four sorted lists of instants, counting the phases and the pauses under way; all the
        // changes at one instant are applied before the next stretch is measured, so touching phases join
        long total = 0;
        long outside = 0;
        long longest = 0;
        long stretches = 0;
        int running = 0;
        int paused = 0;
        long from = 0;
        long prev = Long.MIN_VALUE;
        int i = 0;
        int j = 0;
        int k = 0;
        int l = 0;
        while (j < en.length) {
            long t = Math.min(Math.min(i < st.length ? st[i] : Long.MAX_VALUE, en[j]),
                    Math.min(k < np ? ps[k] : Long.MAX_VALUE, l < np ? pe[l] : Long.MAX_VALUE));
            if (running > 0 && paused == 0 && prev != Long.MIN_VALUE) {
                outside += t - prev;
            }
            prev = t;
            while (k < np && ps[k] == t) {
                paused++;
                k++;
            }
            while (l < np && pe[l] == t) {
                paused--;
                l++;
            }
            while (i < st.length && st[i] == t) {
                if (running++ == 0) {
                    from = t;
                }
                i++;
            }
            while (j < en.length && en[j] == t) {
                if (--running == 0) {
                    total += t - from;
                    longest = Math.max(longest, t - from);
                    stretches++;
                }
                j++;
            }
        }
        return new long[] {total, longest, stretches, outside};
    }
}
