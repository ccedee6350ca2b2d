package dev.hotpath.agent.bootstrap;

import java.util.HashMap;

/**
 * Every key (call site x kind x op x target) the recorder has seen, capped at {@code maxSites} keys. Once the cap is
 * reached a new key is folded into one {@code (other)} key per kind and op (site and target {@code (other)}); the
 * operations recorded there are what the snapshot reports as {@code dropped}. Only the recorder's slow path (first op
 * of a stream, sampled re-validation) comes here, so a lock is fine.
 */
final class SiteRegistry {
    static final String OTHER = "(other)";

    private final int maxSites;
    private final HashMap<String, SiteCounter> byKey = new HashMap<>();
    private final SiteCounter[] overflow = new SiteCounter[2 * Ops.COUNT];
    private volatile SiteCounter[] all = new SiteCounter[0];
    private int regular;

    SiteRegistry(int maxSites) {
        this.maxSites = maxSites;
    }

    synchronized SiteCounter counter(String site, String cls, String method, int line, int kind, int op, String target) {
        String key = site + '\u0000' + kind + '\u0000' + op + '\u0000' + target;
        SiteCounter c = byKey.get(key);
        if (c != null) {
            return c;
        }
        if (regular >= maxSites) {
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

    long dropped() {
        long d = 0;
        for (SiteCounter c : overflow) {
            if (c != null) {
                d += c.count();
            }
        }
        return d;
    }
}
