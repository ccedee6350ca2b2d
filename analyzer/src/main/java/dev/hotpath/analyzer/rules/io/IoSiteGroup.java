package dev.hotpath.analyzer.rules.io;

import dev.hotpath.analyzer.io.IoCallSite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One call site's operations of one kind and op over all the targets it touched. The agent keys its counters by
 * site x target, so code that writes each request to a fresh temp file shows up as hundreds of one-file entries;
 * the behaviour being diagnosed (buffering, forcing, waiting) belongs to the site, and the targets are its evidence.
 * Percentiles of the whole group are those of the count-weighted mixture of the targets' distributions, each
 * interpolated linearly between the agent's p50/p90/p99/p999/max (an estimate; the agent keeps no merged histogram).
 */
final class IoSiteGroup {
    private static final double[] LEVELS = {0, 0.5, 0.9, 0.99, 0.999, 1};

    final String site;
    final String kind;
    final String op;
    /** Most operations first; the agent's {@code (other)} target among them, if any. */
    final List<IoCallSite> targets;
    /** {@link #targets} without the {@code (other)} target: the targets the agent named. */
    final List<IoCallSite> named;
    /**
     * The site's {@code (other)} target, or null: the agent folds a site's targets past {@code maxSites} into it, so it
     * stands for any number of targets (a temp file per request folds thousands) and is never counted as one target,
     * nor taken for one in averages per target, examples or the common directory.
     */
    final IoCallSite folded;
    final long count;
    final long bytes;

    private IoSiteGroup(String site, String kind, String op, List<IoCallSite> targets) {
        this.site = site;
        this.kind = kind;
        this.op = op;
        List<IoCallSite> sorted = new ArrayList<>(targets);
        sorted.sort(Comparator.comparingLong(IoCallSite::count).reversed().thenComparing(IoCallSite::target));
        this.targets = List.copyOf(sorted);
        this.named = sorted.stream().filter(t -> !t.isFolded()).toList();
        this.folded = sorted.stream().filter(IoCallSite::isFolded).findFirst().orElse(null);
        long c = 0;
        long b = 0;
        for (IoCallSite t : sorted) {
            c += t.count();
            b += t.bytes();
        }
        this.count = c;
        this.bytes = b;
    }

    /** Groups the entries accepted by {@code filter} by site x kind x op, in first-seen order. */
    static List<IoSiteGroup> of(List<IoCallSite> sites, Predicate<IoCallSite> filter) {
        Map<String, List<IoCallSite>> by = new LinkedHashMap<>();
        for (IoCallSite c : sites) {
            // the agent's (other) key gathers sites first seen after maxSites: it names no call site to fix
            if (filter.test(c) && !c.site().equals(IoCallSite.FOLDED)) {
                by.computeIfAbsent(c.site() + '\u0000' + c.kind() + '\u0000' + c.op(), k -> new ArrayList<>()).add(c);
            }
        }
        List<IoSiteGroup> out = new ArrayList<>();
        for (List<IoCallSite> l : by.values()) {
            out.add(new IoSiteGroup(l.get(0).site(), l.get(0).kind(), l.get(0).op(), l));
        }
        return out;
    }

    static IoSiteGroup single(IoCallSite c) {
        return new IoSiteGroup(c.site(), c.kind(), c.op(), List.of(c));
    }

    double avgBytes() {
        return count == 0 ? 0 : (double) bytes / count;
    }

    /** The named targets with the most operations, at most {@code n}. */
    List<String> examples(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, named.size()); i++) {
            out.add(named.get(i).target());
        }
        return out;
    }

    /** Operations on the targets the agent named. */
    long namedCount() {
        return count - (folded == null ? 0 : folded.count());
    }

    /** {@link #examples} relative to {@link #directory()} (for text; evidence keeps whole paths). */
    String exampleNames(int n) {
        String dir = directory();
        List<String> out = new ArrayList<>();
        for (String t : examples(n)) {
            out.add(dir == null || !t.startsWith(dir) ? t : t.substring(dir.endsWith("/") ? dir.length()
                    : dir.length() + 1));
        }
        return String.join(", ", out);
    }

    /** The directory all named file targets share (longest common parent path), or null for sockets or none. */
    String directory() {
        if (!"file".equals(kind)) {
            return null;
        }
        String common = null;
        for (IoCallSite t : named) {
            int slash = t.target().lastIndexOf('/');
            String dir = slash <= 0 ? (slash == 0 ? "/" : null) : t.target().substring(0, slash);
            if (dir == null) {
                return null;
            }
            common = common == null ? dir : commonPath(common, dir);
        }
        return common == null || common.isEmpty() ? null : common;
    }

    private static String commonPath(String a, String b) {
        while (!(b.equals(a) || b.startsWith(a.endsWith("/") ? a : a + "/"))) {
            int slash = a.lastIndexOf('/');
            if (slash <= 0) {
                return slash == 0 ? "/" : "";
            }
            a = a.substring(0, slash);
        }
        return a;
    }

    /**
     * What the findings name: the one target, or how many and where; targets folded past the agent's {@code maxSites}
     * are said as such ("1987 files under /data/tmp and more past maxSites"), being of unknown number.
     */
    String where() {
        String noun = "file".equals(kind) ? "files" : kind + " targets";
        if (folded == null && named.size() == 1) {
            return named.get(0).target();
        }
        if (named.isEmpty()) {
            return noun + " past the agent's maxSites";
        }
        String dir = directory();
        return named.size() + " " + noun + (dir == null ? "" : " under " + dir)
                + (folded == null ? "" : " and more past maxSites");
    }

    /** " (and N ops on targets past maxSites)" when the site has folded targets, else "". */
    String foldedNote(String ops) {
        return folded == null ? "" : " (and " + folded.count() + " " + ops + " on " + ("file".equals(kind) ? "files"
                : "targets") + " past the agent's maxSites)";
    }

    /** The q-quantile (0..1) of the mixture of the targets' latency distributions, in nanoseconds. */
    long quantileNanos(double q) {
        if (targets.size() == 1) {
            IoCallSite c = targets.get(0);
            return q <= 0.5 ? c.p50Nanos() : q <= 0.9 ? c.p90Nanos() : q <= 0.99 ? c.p99Nanos()
                    : q <= 0.999 ? c.p999Nanos() : c.maxNanos();
        }
        double lo = 0;
        double hi = 0;
        for (IoCallSite t : targets) {
            hi = Math.max(hi, t.maxNanos());
        }
        double want = q * count;
        for (int i = 0; i < 80 && hi - lo > 0.25; i++) {
            double mid = (lo + hi) / 2;
            double below = 0;
            for (IoCallSite t : targets) {
                below += t.count() * cdf(t, mid);
            }
            if (below >= want) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        // hi ends within a quarter nanosecond above the quantile, so rounding gives it exactly when it is whole
        return Math.round(hi);
    }

    private static double cdf(IoCallSite c, double v) {
        long[] at = points(c);
        for (int i = 1; i < at.length; i++) {
            if (v < at[i]) {
                double span = at[i] - at[i - 1];
                double f = span <= 0 ? 1 : (v - at[i - 1]) / span;
                return LEVELS[i - 1] + f * (LEVELS[i] - LEVELS[i - 1]);
            }
        }
        return 1;
    }

    private static long[] points(IoCallSite c) {
        return new long[] {0, c.p50Nanos(), c.p90Nanos(), c.p99Nanos(), c.p999Nanos(), c.maxNanos()};
    }

    /**
     * Estimated nanoseconds spent in each target's slowest 1% of operations, and in all of them: every
     * percentile band is taken at the middle of its bounds.
     */
    long[] tailAndTotalNanos() {
        double tail = 0;
        double total = 0;
        for (IoCallSite t : targets) {
            long[] p = points(t);
            for (int i = 1; i < p.length; i++) {
                double band = t.count() * (LEVELS[i] - LEVELS[i - 1]) * (p[i - 1] + p[i]) / 2.0;
                total += band;
                if (i >= 4) {
                    tail += band;
                }
            }
        }
        return new long[] {Math.round(tail), Math.round(total)};
    }
}
