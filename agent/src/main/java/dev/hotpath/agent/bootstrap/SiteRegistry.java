package dev.hotpath.agent.bootstrap;

import java.util.HashMap;

/**
 * Every key (call site x kind x op x target) the recorder has seen, capped at {@code maxSites} keys. Once the cap is
 * reached, a new key of a site already known keeps its site and loses its target: it is folded into one
 * {@code (site, kind, op, (other))} key, so a service that writes a new temp file per request still has its hot site
 * named with every operation counted there (targets are unbounded, sites are bounded by the code). Such keys are
 * capped too (a quarter of {@code maxSites}, at least 16); beyond that, and for sites first seen after the cap, the
 * key is folded into one {@code (other)} key per kind and op (site and target {@code (other)}). The operations of
 * every folded key are what the snapshot reports as {@code dropped}. Only the recorder's slow path (first op
 * of a stream, sampled re-validation) comes here, so a lock is fine.
 */
final class SiteRegistry {
    static final String OTHER = "(other)";

    private final int maxSites;
    private final HashMap<String, SiteCounter> byKey = new HashMap<>();
    private final HashMap<String, SiteCounter> bySiteOverflow = new HashMap<>();
    private final java.util.HashSet<String> knownSites = new java.util.HashSet<>();
    private final int maxSiteOverflow;
    private final SiteCounter[] overflow = new SiteCounter[2 * Ops.COUNT];
    private volatile SiteCounter[] all = new SiteCounter[0];
    private int regular;

    SiteRegistry(int maxSites) {
        this.maxSites = maxSites;
        this.maxSiteOverflow = Math.max(16, maxSites / 4);
    }

    synchronized SiteCounter counter(String site, String cls, String method, int line, int kind, int op, String target) {
        String key = site + '\u0000' + kind + '\u0000' + op + '\u0000' + target;
        SiteCounter c = byKey.get(key);
        if (c != null) {
            return c;
        }
        if (regular >= maxSites) {
            if (knownSites.contains(site)) {
                String siteKey = site + '\u0000' + kind + '\u0000' + op;
                c = bySiteOverflow.get(siteKey);
                if (c != null) {
                    return c;
                }
                if (bySiteOverflow.size() < maxSiteOverflow) {
                    c = new SiteCounter(site, cls, method, line, kind, op, OTHER);
                    bySiteOverflow.put(siteKey, c);
                    append(c);
                    return c;
                }
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
        c = new SiteCounter(site, cls, method, line, kind, op, target);
        byKey.put(key, c);
        knownSites.add(site);
        regular++;
        append(c);
        return c;
    }

    private void append(SiteCounter c) {
        SiteCounter[] old = all;
        SiteCounter[] fresh = java.util.Arrays.copyOf(old, old.length + 1);
        fresh[old.length] = c;
        all = fresh;
    }

    /** All counters in creation order (a stable array; new keys appear in later calls). */
    SiteCounter[] all() {
        return all;
    }

    synchronized long dropped() {
        long d = 0;
        for (SiteCounter c : overflow) {
            if (c != null) {
                d += c.count();
            }
        }
        for (SiteCounter c : bySiteOverflow.values()) {
            d += c.count();
        }
        return d;
    }
}
