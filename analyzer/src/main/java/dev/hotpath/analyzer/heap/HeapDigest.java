package dev.hotpath.analyzer.heap;

import java.io.IOException;
import java.util.HashMap;
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

    final Map<String, long[]> classes = new HashMap<>();
    final Map<String, Holder> holders = new LinkedHashMap<>();

    record Holder(String name, String elementClass, long elements, long retained, int node) {
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
        long min = (long) (a.dominators.retained(0) * MIN_HOLDER_SHARE);
        for (Map.Entry<Integer, String> e : rb.holders().anchors().entrySet()) {
            int node = e.getKey();
            long retained = a.dominators.retained(node);
            if (retained < Math.max(1, min) || dg.holders.containsKey(e.getValue())) {
                continue;
            }
            HeapReport.Accumulation acc = rb.accumulation(node);
            dg.holders.put(e.getValue(), new Holder(e.getValue(), acc.elementClass(), acc.elements(), retained, node));
        }
        return dg;
    }
}
