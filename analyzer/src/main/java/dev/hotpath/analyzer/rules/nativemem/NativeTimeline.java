package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.nativemem.NmtSnapshot;
import dev.hotpath.analyzer.nativemem.RssSeries;
import dev.hotpath.nativemem.nmt.NmtReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The part of a run the native rules judge: RSS samples and NMT snapshots after the warm-up (class loading, JIT
 * compilation and heap sizing make every JVM's footprint climb at first; a leak keeps climbing after).
 */
final class NativeTimeline {
    final long windowStart;
    final long windowEnd;
    final long[] rssTimes;
    final double[] rssMb;
    /** Anonymous resident memory where the sampler knew it, else RSS: file-backed pages (the JVM's and libraries'
     *  code) are paged in during warm-up and are no allocation, so anon is what NMT's committed total bounds. */
    final double[] anonMb;
    final List<NmtSnapshot> nmt;

    private NativeTimeline(long windowStart, long windowEnd, long[] rssTimes, double[] rssMb, double[] anonMb,
                           List<NmtSnapshot> nmt) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.rssTimes = rssTimes;
        this.rssMb = rssMb;
        this.anonMb = anonMb;
        this.nmt = nmt;
    }

    /**
     * @param warmupFraction share of the run (from the first to the last sample of either source) left out at the start
     * @return the timeline, or null when there is nothing to judge
     */
    static NativeTimeline of(List<RssSeries> rssList, List<NmtSnapshot> nmtAll, double warmupFraction) {
        List<NmtSnapshot> nmt = series(nmtAll);
        RssSeries rss = rssList.isEmpty() ? null : rssList.get(0);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        if (rss != null && rss.size() > 0) {
            first = rss.epochMillis()[0];
            last = rss.epochMillis()[rss.size() - 1];
        }
        if (!nmt.isEmpty()) {
            first = Math.min(first, nmt.get(0).epochMillis());
            last = Math.max(last, nmt.get(nmt.size() - 1).epochMillis());
        }
        if (first >= last) {
            return null;
        }
        long start = first + (long) ((last - first) * warmupFraction);
        List<Long> ts = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        List<Double> as = new ArrayList<>();
        if (rss != null) {
            for (int i = 0; i < rss.size(); i++) {
                if (rss.epochMillis()[i] >= start && rss.rssKb()[i] >= 0) {
                    ts.add(rss.epochMillis()[i]);
                    vs.add(rss.rssKb()[i] / 1024.0);
                    long anon = rss.anonKb() == null || rss.anonKb().length <= i ? -1 : rss.anonKb()[i];
                    as.add((anon > 0 ? anon : rss.rssKb()[i]) / 1024.0);
                }
            }
        }
        List<NmtSnapshot> nmtWindow = new ArrayList<>();
        for (NmtSnapshot s : nmt) {
            if (s.epochMillis() >= start) {
                nmtWindow.add(s);
            }
        }
        if (nmtWindow.size() < 2 && nmt.size() >= 2) {
            // few snapshots in a short run: keep the last two so that a slope exists
            nmtWindow = new ArrayList<>(nmt.subList(nmt.size() - 2, nmt.size()));
        }
        long[] t = new long[ts.size()];
        double[] v = new double[ts.size()];
        double[] a = new double[ts.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = ts.get(i);
            v[i] = vs.get(i);
            a[i] = as.get(i);
        }
        return new NativeTimeline(start, last, t, v, a, nmtWindow);
    }

    /**
     * The timed NMT outputs in time order. A diff's sizes are the current ones (its deltas since the baseline follow
     * them), so a diff is a point of the series too; a diff taken at the same moment as a summary or detail (as
     * {@code hotpath record} writes them) is left out, being the same point twice.
     */
    static List<NmtSnapshot> series(List<NmtSnapshot> all) {
        java.util.Set<Long> plain = new java.util.HashSet<>();
        for (NmtSnapshot s : all) {
            if (!s.report().isDiff()) {
                plain.add(s.epochMillis());
            }
        }
        List<NmtSnapshot> out = new ArrayList<>();
        for (NmtSnapshot s : all) {
            if (s.epochMillis() > 0 && (!s.report().isDiff() || !plain.contains(s.epochMillis()))) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingLong(NmtSnapshot::epochMillis));
        return out;
    }

    double windowSeconds() {
        return (windowEnd - windowStart) / 1000.0;
    }

    boolean hasRss() {
        return rssTimes.length >= 3;
    }

    boolean hasNmt() {
        return nmt.size() >= 2;
    }

    /** MB/min of an NMT value over the window (NaN without two snapshots). */
    double nmtSlope(ToLongFunction<NmtReport> kb) {
        int n = nmt.size();
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = nmt.get(i).epochMillis();
            v[i] = kb.applyAsLong(nmt.get(i).report()) / 1024.0;
        }
        return TheilSen.perMinute(t, v);
    }

    /**
     * What a value that comes and goes keeps (a JIT compile's arenas): its lower envelope, each snapshot's value
     * replaced by the least value from it to the window's end. A peak lifts only itself and is forgotten by the next
     * low, while memory held for good lifts every later point. The last snapshot has no later one to show whether its
     * memory is given back, so it gets no point of its own (a compile in flight at the end would end the envelope on
     * a peak: a 20-second demo's last snapshot caught one of 30 MB); it still bounds the points before it.
     *
     * @return one point fewer than the window's snapshots (none with a single snapshot)
     */
    Kept nmtKept(ToLongFunction<NmtReport> kb) {
        int n = Math.max(nmt.size() - 1, 0);
        long[] t = new long[n];
        double[] mb = new double[n];
        double least = n == 0 ? 0 : kb.applyAsLong(nmt.get(n).report()) / 1024.0;
        for (int i = n - 1; i >= 0; i--) {
            least = Math.min(least, kb.applyAsLong(nmt.get(i).report()) / 1024.0);
            t[i] = nmt.get(i).epochMillis();
            mb[i] = least;
        }
        return new Kept(t, mb);
    }

    /** A value's lower envelope ({@link #nmtKept}): snapshot times and MB. */
    record Kept(long[] epochMillis, double[] mb) {
        /** MB/min (Theil–Sen); NaN with fewer than two points. */
        double slope() {
            return TheilSen.perMinute(epochMillis, mb);
        }

        double firstMb() {
            return mb[0];
        }

        double lastMb() {
            return mb[mb.length - 1];
        }
    }

    /** The NMT value's change from the window's first to last snapshot, in its own unit (KiB for sizes). */
    long nmtDelta(ToLongFunction<NmtReport> f) {
        return f.applyAsLong(nmt.get(nmt.size() - 1).report()) - f.applyAsLong(nmt.get(0).report());
    }

    double rssSlope() {
        return TheilSen.perMinute(rssTimes, rssMb);
    }

    /**
     * Growth of resident memory that NMT's committed total cannot explain. Committed memory becomes resident only
     * when first touched (the Java heap as allocation reaches new regions, which takes a while on a large heap), so
     * a healthy JVM's anon memory climbs toward the committed total with nothing leaking. Only memory beyond
     * everything committed is proven untracked: the slope of (anon − committed) from the first sample where it is
     * no longer negative. The committed total at a sample between two snapshots is taken as the larger of the two
     * ({@link #committedBoundMbAt}). Guarded by NativeRulesTest and NativeLeakRecordTest.
     *
     * @return {slope MB/min, span s, first excess MB, last excess MB}, or null with fewer than 3 such samples
     */
    double[] beyondCommitted() {
        int from = -1;
        for (int i = 0; i < rssTimes.length; i++) {
            double c = committedBoundMbAt(rssTimes[i]);
            if (!Double.isNaN(c) && anonMb[i] >= c) {
                from = i;
                break;
            }
        }
        if (from < 0) {
            return null;
        }
        List<Long> ts = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        for (int i = from; i < rssTimes.length; i++) {
            double c = committedBoundMbAt(rssTimes[i]);
            if (!Double.isNaN(c)) {
                ts.add(rssTimes[i]);
                vs.add(anonMb[i] - c);
            }
        }
        if (ts.size() < 3) {
            return null;
        }
        long[] t = new long[ts.size()];
        double[] v = new double[ts.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = ts.get(i);
            v[i] = vs.get(i);
        }
        return new double[]{TheilSen.perMinute(t, v), (t[t.length - 1] - t[0]) / 1000.0, v[0], v[v.length - 1]};
    }

    /**
     * The most the JVM can have committed at {@code t} as far as the snapshots around it show: the larger of the two.
     * Committed memory moves in steps, not along a line: the heap grows at one GC and shrinks at another (a heap
     * dump's full GC gives most of an idle heap back). A line drawn between the snapshots puts each step at the wrong
     * time: before a late shrink it falls below the heap that is still resident, after an early growth it lags
     * behind the regions allocation is touching, and either reads as tens of MB of "untracked" memory appearing
     * within seconds (a clean demo's cache once read as 1693.8 MB/min). NaN outside the snapshots' span.
     */
    private double committedBoundMbAt(long t) {
        for (int i = 1; i < nmt.size(); i++) {
            if (t >= nmt.get(i - 1).epochMillis() && t <= nmt.get(i).epochMillis()) {
                long before = nmt.get(i - 1).report().totalCommittedKb();
                return Math.max(before, nmt.get(i).report().totalCommittedKb()) / 1024.0;
            }
        }
        return Double.NaN;
    }

    double rssFirstMb() {
        return rssMb[0];
    }

    double rssLastMb() {
        return rssMb[rssMb.length - 1];
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
