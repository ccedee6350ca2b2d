package dev.hotpath.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;

/**
 * Every key (call site x kind x op x target) the recorder has seen, bounded by {@code maxSites}. The decision to name
 * or fold is taken per target, once, when the target is first seen: it is named while fewer than {@code maxSites}
 * distinct (call site, kind, target) pairs are named, and folded otherwise. Every key of a named target stays named
 * (any site, any op) and every key of a folded target is folded, so per-file figures that combine keys stay exact
 * past the cap: a temp file's write (at one line) and its force (at another) are both under its name or both folded,
 * never split. The one exception is a hard ceiling of {@value #PAIR_CEILING} x {@code maxSites} named pairs (a named
 * target reached from ever more sites): past it, a new pair is folded, all its ops alike. Either way, all ops of one
 * (site, target) pair go to the same key. A named pair has one key per op it performs.
 *
 * <p>One site holds at most {@code maxTargetsPerSite} named pairs (default an eighth of {@code maxSites}, at least
 * 16): past its share it names no new pair, for a new target or a named one, and folds them as below. A service that
 * writes a new temp file per request otherwise spends the whole budget on one-shot files within seconds, first come,
 * first named, and every later target of every other site (the objects its reads serve, a new log segment) folds;
 * with the share, the temp-file site and its force site take 512 pairs each of the default 4,096. A target first
 * seen at a full site is folded there, and so that it is not named at the next site it reaches (its force site,
 * whose share fills a little later: a file is forced after it is written, and the requests in flight when the write
 * site filled bring their files to the force site while it still has room), the registry remembers the last
 * {@value #RECENT_FOLD_SETS} x 2 targets folded at first sight ({@link #recentFolds}) and folds such a target at any
 * site. What remains: a target named at a site with room and later reached at a full site is folded there, and one
 * folded at first sight and reached at another site with room only after thousands of other targets were folded
 * may be named there; per-file figures that combine sites are exact for targets named at each site that touched
 * them, as the temp file's are.
 *
 * <p>A folded pair whose site is named (has a named pair) keeps its site and loses its target:
 * {@code (site, kind, op, (other))}, so a service that writes a new temp file per request still has its hot site
 * named with every operation counted there (targets are unbounded, sites are bounded by the code). Such sites are
 * capped too (a quarter of {@code maxSites}, at least 16); beyond that, and for sites not named by the time of the
 * first fold, the pair goes to one {@code (other)} key per kind and op (site and target {@code (other)}). Which of the
 * two a folded pair gets depends only on its site and is fixed from the site's first fold on (the named sites are
 * frozen at the first fold past {@code maxSites}; a site folding past its own share before that has named pairs, so
 * it is among them, and so is a site with room that folds a recently folded target; fold slots stop changing once
 * full), so a folded target's key needs no memory of the target: memory stays bounded whatever the number of
 * targets (the recent folds are a fixed array). The operations of every folded key are what the snapshot reports as
 * {@code dropped}. Only the recorder's slow path (first op of a stream, sampled re-validation) comes here, so a lock
 * is fine.
 */
final class SiteRegistry {
    static final String OTHER = "(other)";
    /** Named pairs may reach this multiple of {@code maxSites} through targets that are already named. */
    static final int PAIR_CEILING = 4;

    private final int maxSites;
    /** Named pairs one site may hold ({@code maxTargetsPerSite}); see the class comment. */
    private final int maxPairsPerSite;
    /** Named pairs per site (one cell each): at most one entry per site with a named pair. */
    private final HashMap<String, int[]> pairsBySite = new HashMap<>();
    private final int maxSiteOverflow;
    private final OwnMap<Key, SiteCounter> byKey = new OwnMap<>();
    /** Named (site, kind, target) pairs: at most {@code maxSites}, plus pairs of named targets up to the ceiling. */
    private final OwnMap<Key, Key> namedPairs = new OwnMap<>();
    /** Named (kind, target)s: at most {@code maxSites}. */
    private final OwnMap<Key, Key> namedTargets = new OwnMap<>();
    /** Set by the first fold; from then on {@link #namedSites} does not change. */
    private boolean full;
    /**
     * Sites with a named pair when the first fold happened, and sites with room that folded a target folded at first
     * sight elsewhere ({@link #recentFolds}) before it.
     */
    private final HashSet<String> namedSites = new HashSet<>();
    /** Sites that fold new targets into their own {@code (site, kind, op, (other))} keys. */
    private final HashSet<String> overflowSites = new HashSet<>();
    private final OwnMap<Key, SiteCounter> bySiteOverflow = new OwnMap<>();
    private final SiteCounter[] overflow = new SiteCounter[2 * Ops.COUNT];
    /** Counters in creation order, the first {@link #size} set; grown by doubling. Both guarded by this. */
    private SiteCounter[] created = new SiteCounter[64];
    private int size;

    /**
     * Named keys recently looked up, two-way set-associative by (site, kind, op, target): {@link #find} reads it
     * without the lock and without building a key, so a new stream on a known (site, target) — a service reading one
     * of a few hundred objects per request — costs the target's hash and compares, not the lock and a map lookup. An
     * entry is two elements, the key's cells and then its counter; a set is two entries from an even one on, 16
     * bytes of one cache line; the entry last put in a set is first, the other second (direct-mapped, the gateway's
     * 588 keys in 4,096 slots shared ~40 slots in pairs, and each such pair's keys sent every other lookup to the lock
     * and the maps: string compares on cold paths). The lookup compares the key's header in its cells
     * ({@link SiteCounter#KEY}), which the operation then counts in, and not the counter object. Only named counters
     * go in (a counter names its own key; a folded one does not), and a named key's counter never changes, so a hit
     * is the registry's answer. Racy by design: an entry's cells are written after its counter, with release, and
     * read with acquire, so the header the lookup compares is the cells' own; a lost or overwritten entry only sends a
     * lookup to {@link #counter}. A reader may pair an entry's cells with a later entry's counter (two rewrites of the
     * slot between its reads), so the recorder takes the counter as a hint and checks it against the cells wherever
     * it uses it ({@link SiteCounter#cells}).
     */
    private final Object[] recent = new Object[2 * RECENT];
    private static final int RECENT = 1 << 12;
    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(Object[].class);

    /** Named targets so far; written under the lock after each new target's bit, read by {@link #folded} first. */
    private volatile int namedTargetsPublished;
    /**
     * One bit per named (kind, target), by hash ({@link #targetBit}); only ever set, under the lock, before
     * {@link #namedTargetsPublished} is written, and read by {@link #folded} after reading it. A clear bit proves the
     * target was not named when that count was written; a set one (a named target, or another one whose hash shares
     * the bit: about named targets / 65,536) sends the lookup to {@link #counter}.
     */
    private final long[] namedTargetBits = new long[TARGET_BITS / 64];
    private static final int TARGET_BITS = 1 << 16;
    /** A site's fold key for a kind and op, direct-mapped by the site string's hash; racy by design. */
    private final Fold[] folds = new Fold[FOLDS];
    private static final int FOLDS = 1 << 10;
    /**
     * Targets recently folded at first sight ({@link #foldMark}), two-way set-associative by their hash: a set is two
     * marks from an even index on, the last put first. Written by every fold of a target that is not named, the
     * lock-free ones ({@link #fold}) included, with plain racy stores (a lost or torn mark only lets a site with room
     * name that one target); read under the lock when a site with room sees a new target.
     */
    private final long[] recentFolds = new long[2 * RECENT_FOLD_SETS];
    static final int RECENT_FOLD_SETS = 1 << 12;

    /** An immutable entry of {@link #folds}: what {@link #counter} folded a pair of this site, kind and op into. */
    private static final class Fold {
        final String site;
        final int kind;
        final int op;
        final SiteCounter counter;
        /** The counter's cells, so that a fold's lookup does not read the counter object for them. */
        final long[] cells;
        /**
         * The site still names new targets: the fold holds only for a target folded at first sight lately
         * ({@link #recentFolds}).
         */
        final boolean recentOnly;

        Fold(String site, int kind, int op, SiteCounter counter, boolean recentOnly) {
            this.site = site;
            this.kind = kind;
            this.op = op;
            this.counter = counter;
            this.cells = counter.cells;
            this.recentOnly = recentOnly;
        }
    }

    SiteRegistry(int maxSites) {
        this(maxSites, 0);
    }

    /** @param maxPairsPerSite named pairs one site may hold; 0: {@link #defaultPairsPerSite} */
    SiteRegistry(int maxSites, int maxPairsPerSite) {
        this.maxSites = maxSites;
        this.maxPairsPerSite = maxPairsPerSite > 0 ? maxPairsPerSite : defaultPairsPerSite(maxSites);
        this.maxSiteOverflow = Math.max(16, maxSites / 4);
    }

    /** An eighth of {@code maxSites}, at least 16: 512 of the default 4,096. */
    static int defaultPairsPerSite(int maxSites) {
        return Math.max(16, maxSites / 8);
    }

    /**
     * The hash of a key as {@link #find} computes it: from the site string's cached hash and the target's
     * {@link #targetHash}, so that a new stream's new target string is read once (its own {@code hashCode} would be a
     * second pass over its characters).
     */
    static int keyHash(String site, int kind, int op, long targetHash) {
        return keyHash(site.hashCode(), kind, op, targetHash);
    }

    /** {@link #keyHash(String, int, int, long)} of the site whose string's hash is {@code siteHash}. */
    static int keyHash(int siteHash, int kind, int op, long targetHash) {
        return (siteHash * 31 + (int) (targetHash ^ targetHash >>> 32)) * 31 + kind * Ops.COUNT + op;
    }

    /** The first slot of the key's set in {@link #recent} (even; the set is it and the next). */
    static int recentSlot(int keyHash) {
        return (keyHash ^ keyHash >>> 12) & (RECENT - 2);
    }

    /** Makes {@code c} the first key of its set in {@link #recent}, the set's first key before it the second. */
    private void remember(SiteCounter c) {
        int i = 2 * recentSlot(c.keyHash);
        Object first = recent[i + 1];
        if (first != c) {
            if (first != null) {
                put(i + 2, (SiteCounter) first);
            }
            put(i, c);
        }
    }

    /** Writes the entry at {@code i}: the counter, then its cells with release (see {@link #recent}). */
    private void put(int i, SiteCounter c) {
        recent[i + 1] = c;
        ENTRIES.setRelease(recent, i, c.cells);
    }

    /**
     * The named key's counter if it was looked up recently, else {@code null} (then ask {@link #counter}); tests: the
     * recorder's {@link #findInto}, into a state of no stream.
     */
    SiteCounter find(String site, int kind, int op, String target) {
        StreamState st = new StreamState(kind, target, false, 1);
        return findInto(st, op, new CallSites.Site(site, "", "", -1), targetHash(target)) == null ? null
                : st.counter(op);
    }

    /**
     * Finds a recently looked-up named key, as {@link #find}, caches its cells and counter in {@code st} for {@code op}
     * and returns the cells; {@code null} when neither entry of its set is the key. The entry is checked against the
     * header of its cells: the key hash, kind, op, a salted 64-bit hash of the site string
     * ({@link CallSites.Site#longHash}) and one of the target ({@link #targetHash}) instead of the characters. A new
     * stream's target is a new string, so comparing characters read the stored target's string and array, cold after
     * the stream's system call: the largest part of a stream-per-request gateway's agent cost (0.28% of its request
     * threads' CPU samples in {@code String.equals}, 0.49% in this method, GatewaySaturationHarness profiled); the
     * counter object and the site string it holds were two more cold lines (and pages) per new stream. A different
     * target or site is taken for this key only if its 64-bit salted hash equals the key's (the key hash is folded from
     * them, so it adds few bits): about 2^-64 per lookup for unrelated names, a billion new streams a second for four
     * centuries before an even chance of one; the salt is drawn per process, so names cannot be crafted to collide
     * ahead of time. The registry's own maps ({@link #counter}) compare characters.
     */
    long[] findInto(StreamState st, int op, CallSites.Site site, long targetHash) {
        int h = keyHash(site.hash, st.kind, op, targetHash);
        long key = SiteCounter.key(h, st.kind, op);
        int i = 2 * recentSlot(h);
        long[] cells = (long[]) ENTRIES.getAcquire(recent, i);
        if (!is(cells, key, site.longHash, targetHash)) {
            i += 2;
            cells = (long[]) ENTRIES.getAcquire(recent, i);
            if (!is(cells, key, site.longHash, targetHash)) {
                return null;
            }
        }
        SiteCounter c = (SiteCounter) recent[i + 1];
        if (op > Ops.WRITE && c.cells != cells) {
            return null; // a pair torn by rewrites (see recent): the other ops' states cache only the counter
        }
        st.counter(op, c, cells);
        return cells;
    }

    private static boolean is(long[] cells, long key, long siteLongHash, long targetHash) {
        return cells != null && cells[SiteCounter.KEY] == key && cells[SiteCounter.TARGET_HASH] == targetHash
                && cells[SiteCounter.SITE_HASH] == siteLongHash;
    }

    /**
     * The key of a pair known to be folded without taking the lock, else {@code null} (then ask {@link #counter}): a
     * site that folded once names no new pair again (it is past {@code maxSites} or past its own share, both for good),
     * so a pair of it whose target's bit is clear goes to the key the site folded into before (remembered per site
     * string, kind and op), as {@link #counter} would decide; a target named meanwhile by another site changes nothing
     * there. A service that writes a new temp file per request past the cap thus resolves each file's key with a bit
     * test and an array read instead of the lock and four hash lookups: that path was 0.44% of the saturated gateway's
     * CPU samples, 0.14% in the named-targets set alone (GatewaySaturationHarness {@code -Dmode=together
     * -Dprofile=true}, session 10).
     */
    SiteCounter folded(String site, int kind, int op, String target) {
        Fold f = fold(site, site.hashCode(), kind, op, targetHash(target)); // tests; the recorder asks foldedInto
        return f == null ? null : f.counter;
    }

    /**
     * {@link #folded(String, int, int, String)} of the target whose {@link #targetHash} is {@code targetHash}, at
     * {@code site}: caches the fold's cells and counter in {@code st} for {@code op} and returns the cells;
     * {@code null} when the pair is not known to be folded.
     */
    long[] foldedInto(StreamState st, int op, CallSites.Site site, long targetHash) {
        Fold f = fold(site.site, site.hash, st.kind, op, targetHash);
        if (f == null) {
            return null;
        }
        st.counter(op, f.counter, f.cells);
        return f.cells;
    }

    private Fold fold(String site, int siteHash, int kind, int op, long targetHash) {
        Fold f = folds[foldSlot(siteHash, kind, op)];
        if (f == null || f.site != site || f.kind != kind || f.op != op) {
            return null;
        }
        // the site folded before, so it names no new pair ever again (past maxSites, or past maxPairsPerSite, both
        // for good): a pair of it is named only if it was before, and then its target is named; the volatile read
        // makes every bit set before it visible (bits are only ever set, a target's before its first named key). A
        // site with room folded a target folded at first sight elsewhere (recentOnly): it folds such targets only.
        if (namedTargetsPublished == 0) {
            return null;
        }
        int b = targetBit(kind, targetHash);
        if ((namedTargetBits[b >>> 6] & 1L << b) != 0) {
            return null;
        }
        long m = foldMark(kind, targetHash);
        if (f.recentOnly && !recentlyFolded(m)) {
            return null;
        }
        markFolded(m);
        return f;
    }

    /** What {@link #recentFolds} holds for a target: its hash and kind, never 0 (an empty mark). */
    static long foldMark(int kind, long targetHash) {
        return (targetHash ^ (kind + 1) * 0x9E3779B97F4A7C15L) | 1L;
    }

    /** The first index of the mark's set in {@link #recentFolds}. */
    static int foldSet(long mark) {
        return (int) (mark >>> 40) & (2 * RECENT_FOLD_SETS - 2);
    }

    /**
     * Remembers that the target of mark {@code m} ({@link #foldMark}) was folded at first sight (any thread, without
     * the lock: see {@link #recentFolds}).
     */
    private void markFolded(long m) {
        int i = foldSet(m);
        long first = recentFolds[i];
        if (first != m) {
            recentFolds[i + 1] = first;
            recentFolds[i] = m;
        }
    }

    private boolean recentlyFolded(long m) {
        int i = foldSet(m);
        return recentFolds[i] == m || recentFolds[i + 1] == m;
    }

    private static int targetBit(int kind, long targetHash) {
        int h = (int) (targetHash ^ targetHash >>> 32) * 31 + kind;
        h *= 0x9E3779B9;
        return h >>> 16;
    }

    /** The slot of a site's fold by its string's hash (its identity hash read the string's header line too). */
    private static int foldSlot(int siteHash, int kind, int op) {
        int h = (siteHash * 31 + kind) * 31 + op;
        h *= 0x9E3779B9;
        return h >>> 22;
    }

    /** Drawn once per process: see {@link #find}. */
    private static final long SALT = new java.util.Random().nextLong() | 1L;

    /**
     * A salted 64-bit hash of the target's characters: FNV-1a's step with the salt as its start and a final mix, so
     * every character reaches every bit.
     */
    static long targetHash(String target) {
        long x = SALT;
        for (int i = 0, n = target.length(); i < n; i++) {
            x = (x ^ target.charAt(i)) * 0x100000001B3L;
        }
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        return x ^ x >>> 33;
    }

    /**
     * The key's counter, creating it (named or folded) on first use. A target that is not named has no named key
     * (every named pair's target is named), so for it the maps of named keys are not asked: a service that writes a
     * new temp file per request past the cap does one set lookup and the fold's lookups per new file.
     */
    synchronized SiteCounter counter(String site, String cls, String method, int line, int kind, int op, String target) {
        Key kindTarget = new Key(null, kind, target, -1);
        Key pair = new Key(site, kind, target, -1);
        int[] sitePairs = pairsBySite.get(site);
        boolean siteFull = sitePairs != null && sitePairs[0] >= maxPairsPerSite;
        SiteCounter c;
        boolean named;
        if (namedTargets.contains(kindTarget)) {
            Key key = new Key(site, kind, target, op);
            c = byKey.get(key);
            if (c != null) {
                remember(c);
                return c;
            }
            // a named pair's new op, or a named target's new site: named while the site and the ceiling allow
            named = namedPairs.contains(pair)
                    || !siteFull && namedPairs.size() < (long) PAIR_CEILING * maxSites;
        } else {
            // a new target: named while fewer than maxSites pairs are, its site holds fewer than its share, and it was
            // not folded at first sight at another site lately (recentFolds)
            long th = targetHash(target);
            long mark = foldMark(kind, th);
            boolean open = !siteFull && namedPairs.size() < maxSites;
            if (open && recentlyFolded(mark)) {
                markFolded(mark);
                // this site still names new targets, so the lock-free path folds only such targets there; it is
                // among the named sites (naming is open), so it folds into its own (other) keys from the start
                namedSites.add(site);
                return rememberFold(site, kind, op, foldAt(site, cls, method, line, kind, op), true);
            }
            named = open && namedTargets.add(kindTarget);
            if (named) {
                int b = targetBit(kind, th);
                namedTargetBits[b >>> 6] |= 1L << b;
                namedTargetsPublished = namedTargets.size();
            } else {
                markFolded(mark);
            }
        }
        if (named) {
            if (namedPairs.add(pair)) {
                if (sitePairs == null) {
                    sitePairs = new int[1];
                    pairsBySite.put(site, sitePairs);
                }
                sitePairs[0]++;
            }
            if (!full) {
                namedSites.add(site);
            }
            c = new SiteCounter(site, cls, method, line, kind, op, target);
            byKey.put(new Key(site, kind, target, op), c);
            append(c);
            remember(c);
            return c;
        }
        if (namedPairs.size() >= maxSites) {
            full = true; // a fold of a site past its own share leaves the other sites' naming as it was
        }
        return rememberFold(site, kind, op, foldAt(site, cls, method, line, kind, op), false);
    }

    /** The key a pair of {@code site} folds into for {@code kind} and {@code op}, created on first use. */
    private SiteCounter foldAt(String site, String cls, String method, int line, int kind, int op) {
        SiteCounter c;
        // only a named site takes a fold slot (&& short-circuits before the add)
        if (namedSites.contains(site) && (overflowSites.contains(site)
                || overflowSites.size() < maxSiteOverflow && overflowSites.add(site))) {
            Key siteKey = new Key(site, kind, null, op);
            c = bySiteOverflow.get(siteKey);
            if (c == null) {
                c = new SiteCounter(site, cls, method, line, kind, op, OTHER);
                bySiteOverflow.put(siteKey, c);
                append(c);
            }
            return c;
        }
        int slot = kind * Ops.COUNT + op;
        c = overflow[slot];
        if (c == null) {
            c = new SiteCounter(OTHER, "", "", -1, kind, op, OTHER);
            overflow[slot] = c;
            append(c);
        }
        return c;
    }

    /**
     * Remembers a fold for {@link #folded}: the key depends on the site, kind and op alone and a site's choice is fixed
     * from its first fold on (see the class comment), so a named target's pair folded past the pair ceiling names the
     * same key an unnamed target's pair of that site would get. {@code recentOnly}: the site has room (see
     * {@link Fold#recentOnly}).
     */
    private SiteCounter rememberFold(String site, int kind, int op, SiteCounter c, boolean recentOnly) {
        folds[foldSlot(site.hashCode(), kind, op)] = new Fold(site, kind, op, c, recentOnly);
        return c;
    }

    /**
     * A key of the maps: site, kind, target and op, any of site/target null and op -1 when not part of it. Hashes
     * combine the strings' cached hashes: the site string is shared per frame ({@link CallSites#site}) and the target
     * per stream, so a lookup builds no string. A plain class: records need invokedynamic. Kept in {@link OwnMap}s,
     * never in a {@code HashMap} (see there).
     */
    private static final class Key implements OwnMap.Key {
        final String site;
        final int kind;
        final String target;
        final int op;

        Key(String site, int kind, String target, int op) {
            this.site = site;
            this.kind = kind;
            this.target = target;
            this.op = op;
        }

        @Override
        public boolean sameKey(OwnMap.Key o) {
            Key k = (Key) o;
            return kind == k.kind && op == k.op && same(site, k.site) && same(target, k.target);
        }

        private static boolean same(String a, String b) {
            return a == null ? b == null : a.equals(b);
        }

        @Override
        public int keyHash() {
            int h = site == null ? 0 : site.hashCode();
            h = h * 31 + (target == null ? 0 : target.hashCode());
            return (h * 31 + kind) * 31 + op;
        }
    }

    /**
     * Appends without copying the whole array each time (a service writing a new temp file per request adds a key
     * per request until the cap).
     */
    private void append(SiteCounter c) {
        int n = size;
        if (n == created.length) {
            created = Arrays.copyOf(created, n * 2);
        }
        created[n] = c;
        size = n + 1;
    }

    /** The counter whose cells are {@code cells}, else {@code null}: a scan, for a pair torn in {@link #recent}. */
    synchronized SiteCounter owner(long[] cells) {
        for (int i = 0; i < size; i++) {
            if (created[i].cells == cells) {
                return created[i];
            }
        }
        return null;
    }

    /** All counters in creation order (a fresh array; new keys appear in later calls). */
    SiteCounter[] all() {
        SiteCounter[] arr;
        int n;
        synchronized (this) {
            arr = created;
            n = size;
        }
        return Arrays.copyOf(arr, n);
    }

    synchronized long dropped() {
        long d = 0;
        for (SiteCounter c : overflow) {
            if (c != null) {
                d += c.count();
            }
        }
        for (int i = 0; i < bySiteOverflow.capacity(); i++) {
            SiteCounter c = bySiteOverflow.valueAt(i);
            if (c != null) {
                d += c.count();
            }
        }
        return d;
    }
}
