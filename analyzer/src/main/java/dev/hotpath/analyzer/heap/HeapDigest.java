package dev.hotpath.analyzer.heap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a later dump is compared with: instances and shallow bytes per class name, and per named holder its retained
 * bytes and element count. Small (no object table), so the baseline's analysis can be closed before the newer dump
 * is opened. Immutable after {@link #of}.
 */
public final class HeapDigest {
    /** Holders retaining less than this share of the heap are not tracked (keeps the digest small). */
    static final double MIN_HOLDER_SHARE = 0.0005;

    /** Below an anchor, named sub-holders (anchor plus field path) are followed this many levels deep. */
    static final int FIELD_DEPTH = 6;
    /** At most this many holders are kept (largest anchors first), so the digest stays small on any heap. */
    static final int MAX_HOLDERS = 20_000;

    final Map<String, long[]> classes = new HashMap<>();
    final Map<String, Holder> holders = new LinkedHashMap<>();
    /** The dump's own time (HPROF header, ms since the epoch): orders two dumps of one process. */
    long timestamp;

    /** When the dump was written, from its HPROF header (ms since the epoch; 0 when unknown). */
    public long timestamp() {
        return timestamp;
    }

    record Holder(String name, String elementClass, long elements, long retained, long node) {
    }

    /** Holders whose retained bytes grew since {@code older}, largest growth first (no per-class holder vote). */
    public java.util.List<HeapReport.HolderGrowth> holderGrowthSince(HeapDigest older, int top) {
        return Growth.byHolder(older, this, top);
    }

    /** Classes whose shallow bytes grew since {@code older}, largest first; {@code holder} is left empty. */
    public java.util.List<HeapReport.GrowthRow> classGrowthSince(HeapDigest older, int top) {
        java.util.List<HeapReport.GrowthRow> rows = new java.util.ArrayList<>();
        for (Map.Entry<String, long[]> e : classes.entrySet()) {
            long[] before = older.classes.getOrDefault(e.getKey(), new long[2]);
            long db = e.getValue()[1] - before[1];
            if (db > 0) {
                rows.add(new HeapReport.GrowthRow(e.getKey(), e.getValue()[0] - before[0], db, ""));
            }
        }
        rows.sort(java.util.Comparator.comparingLong(HeapReport.GrowthRow::bytesDelta).reversed()
                .thenComparing(HeapReport.GrowthRow::className));
        return new java.util.ArrayList<>(rows.subList(0, Math.min(top, rows.size())));
    }

    static HeapDigest of(HeapAnalysis a, ReportBuilder rb) throws IOException {
        HeapDigest dg = new HeapDigest();
        HeapIndex index = a.index;
        for (ClassInfo c : index.classes) {
            if (c.instances > 0) {
                long[] v = dg.classes.computeIfAbsent(c.name, k -> new long[2]);
                v[0] += c.instances;
                v[1] += c.shallowBytes;
            }
        }
        dg.timestamp = index.timestamp;
        long min = Math.max(1, (long) (a.dominators.retained(0) * MIN_HOLDER_SHARE));
        Holders names = rb.holders();
        List<Long> anchors = new ArrayList<>(names.anchors().keySet());
        anchors.sort(Comparator.comparingLong((Long n) -> a.dominators.retained(n)).reversed().thenComparing(n -> n));
        for (long node : anchors) {
            long retained = a.dominators.retained(node);
            if (retained < min || dg.holders.size() >= MAX_HOLDERS) {
                break;
            }
            String name = names.anchor(node);
            if (dg.holders.containsKey(name)) {
                continue;
            }
            dg.put(rb, name, node, retained);
            dg.fieldHolders(a, rb, names, node, min, 0);
        }
        return dg;
    }

    private void put(ReportBuilder rb, String name, long node, long retained) throws IOException {
        HeapReport.Accumulation acc = rb.accumulation(node);
        holders.put(name, new Holder(name, acc.elementClass(), acc.elements(), retained, node));
    }

    /**
     * The plain objects an anchor dominates through instance fields ({@code ...Cache.readCache.accessIndex}): a
     * leak usually sits one or more fields below the object a program names, and growth must name that field.
     */
    private void fieldHolders(HeapAnalysis a, ReportBuilder rb, Holders names, long node, long min, int depth)
            throws IOException {
        if (depth >= FIELD_DEPTH || a.index.isClassObject(node) || a.index.classOf(node).isArray()) {
            return;
        }
        Dominators d = a.dominators;
        for (long i = 0; i < d.childCount(node) && holders.size() < MAX_HOLDERS; i++) {
            long c = d.child(node, i);
            if (d.retained(c) < min || a.index.isClassObject(c) || a.index.classOf(c).isArray()
                    || names.anchor(c) != null) {
                continue;
            }
            String f = names.fieldName(node, c);
            if (f == null || !f.startsWith(".")) {
                continue;
            }
            String name = names.holderOf(c);
            if (!holders.containsKey(name)) {
                put(rb, name, c, d.retained(c));
                fieldHolders(a, rb, names, c, min, depth + 1);
            }
        }
    }


}
