package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.HeapReport.GrowthRow;
import dev.hotpath.analyzer.heap.HeapReport.HolderGrowth;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Growth between two dumps of one process. By class: instances and shallow bytes added, and the holder that
 * keeps most of the class's instances in the newer dump (majority over up to {@link #SAMPLES} instances spread over
 * the object table). By holder: holders whose retained bytes grew, with their element count before and after.
 */
final class Growth {
    static final int SAMPLES = 64;

    private Growth() {
    }

    static List<GrowthRow> byClass(HeapDigest older, HeapDigest newer, HeapAnalysis a, Holders holders, int top)
            throws IOException {
        List<GrowthRow> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : newer.classes.entrySet()) {
            long[] before = older.classes.getOrDefault(e.getKey(), new long[2]);
            long di = e.getValue()[0] - before[0];
            long db = e.getValue()[1] - before[1];
            if (db > 0) {
                rows.add(new GrowthRow(e.getKey(), di, db, ""));
            }
        }
        rows.sort(Comparator.comparingLong(GrowthRow::bytesDelta).reversed().thenComparing(GrowthRow::className));
        List<GrowthRow> out = new ArrayList<>();
        for (GrowthRow r : rows.subList(0, Math.min(top, rows.size()))) {
            out.add(new GrowthRow(r.className(), r.instancesDelta(), r.bytesDelta(), dominantHolder(r.className(), a, holders)));
        }
        return out;
    }

    private static String dominantHolder(String className, HeapAnalysis a, Holders holders) throws IOException {
        HeapIndex index = a.index;
        List<Integer> ks = new ArrayList<>();
        long instances = 0;
        for (ClassInfo c : index.classes) {
            if (c.name.equals(className)) {
                ks.add(c.index);
                instances += c.instances;
            }
        }
        if (instances == 0) {
            return "";
        }
        long step = Math.max(1, instances / SAMPLES);
        Map<String, Integer> votes = new HashMap<>();
        long seen = 0;
        for (long v = 1; v <= index.objectCount; v++) {
            if (!ks.contains(index.classIndex(v))) {
                continue;
            }
            if (seen++ % step == 0) {
                votes.merge(anchorOnly(holders.holderOf(v)), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse("");
    }

    /** Class growth names the anchor itself, not the field path below it. */
    private static String anchorOnly(String holder) {
        return holder;
    }

    static List<HolderGrowth> byHolder(HeapDigest older, HeapDigest newer, int top) {
        List<HolderGrowth> rows = new ArrayList<>();
        for (HeapDigest.Holder h : newer.holders.values()) {
            HeapDigest.Holder b = older.holders.get(h.name());
            long eb = b == null ? 0 : b.elements();
            long rbBefore = b == null ? 0 : b.retained();
            if (h.retained() > rbBefore) {
                rows.add(new HolderGrowth(h.name(), h.elementClass(), eb, h.elements(), rbBefore, h.retained()));
            }
        }
        rows = mostSpecific(rows);
        rows.sort(Comparator.comparingLong((HolderGrowth g) -> g.retainedAfter() - g.retainedBefore()).reversed()
                .thenComparing(HolderGrowth::holder));
        return new ArrayList<>(rows.subList(0, Math.min(top, rows.size())));
    }

    /** A field below a holder that accounts for this much of the holder's growth names the growth instead. */
    static final double EXPLAINS = 0.8;

    /**
     * Drops a holder whose growth is (≥ 80%) that of one of its fields ({@code X.index} explains {@code X}), so the
     * growth names the deepest field that grew, not every object above it.
     */
    private static List<HolderGrowth> mostSpecific(List<HolderGrowth> rows) {
        java.util.TreeMap<String, Long> grewByName = new java.util.TreeMap<>();
        for (HolderGrowth g : rows) {
            grewByName.put(g.holder(), g.retainedAfter() - g.retainedBefore());
        }
        List<HolderGrowth> out = new ArrayList<>();
        for (HolderGrowth g : rows) {
            long grew = g.retainedAfter() - g.retainedBefore();
            String prefix = g.holder() + ".";
            // names starting with the prefix are one contiguous range of the sorted map
            boolean explained = grewByName.subMap(prefix, prefix + Character.MAX_VALUE).values().stream()
                    .anyMatch(c -> c >= EXPLAINS * grew);
            if (!explained) {
                out.add(g);
            }
        }
        return out;
    }
}
