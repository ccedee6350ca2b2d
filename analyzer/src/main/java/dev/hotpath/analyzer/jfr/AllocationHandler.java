package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.jfr.read.FieldIndex;
import dev.hotpath.analyzer.jfr.read.JfrClass;
import dev.hotpath.analyzer.jfr.read.JfrEvent;
import dev.hotpath.analyzer.jfr.read.JfrType;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.rules.allocation.AllocationSummary;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Allocated bytes by class (identity-keyed per constant-pool class, resolved to names at the end). */
final class AllocationHandler implements JfrHandler {
    private static final int TOP = 50;
    private final IdentityHashMap<JfrClass, long[]> weighted = new IdentityHashMap<>();
    private final IdentityHashMap<JfrClass, long[]> tlab = new IdentityHashMap<>();
    private final FieldIndex fields = new FieldIndex("objectClass", "weight", "tlabSize", "allocationSize");

    @Override
    public Set<String> eventTypes() {
        return Set.of("jdk.ObjectAllocationSample", "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB");
    }

    @Override
    public void prepare(JfrType t) {
        fields.of(t);
    }

    @Override
    public void accept(JfrEvent e) {
        int[] at = fields.of(e.type());
        switch (e.type().name()) {
            case "jdk.ObjectAllocationSample" -> add(weighted, e.getClass(at[0]), e.getLong(at[1]));
            case "jdk.ObjectAllocationInNewTLAB" -> add(tlab, e.getClass(at[0]), e.getLong(at[2]));
            case "jdk.ObjectAllocationOutsideTLAB" -> add(tlab, e.getClass(at[0]), e.getLong(at[3]));
            default -> { }
        }
    }

    private static void add(IdentityHashMap<JfrClass, long[]> map, JfrClass c, long bytes) {
        long[] v = map.get(c);
        if (v == null) {
            v = new long[1];
            map.put(c, v);
        }
        v[0] += bytes;
    }

    /** A later part's classes are other objects (each chunk has its own constant pool): they resolve by name in finish. */
    @Override
    public void absorb(JfrHandler later) {
        AllocationHandler o = (AllocationHandler) later;
        o.weighted.forEach((c, v) -> add(weighted, c, v[0]));
        o.tlab.forEach((c, v) -> add(tlab, c, v[0]));
    }

    @Override
    public void finish(Artifact artifact, RecordingInfo info, IngestContext ctx) {
        boolean useWeighted = !weighted.isEmpty();
        IdentityHashMap<JfrClass, long[]> src = useWeighted ? weighted : tlab;
        if (src.isEmpty()) {
            return;
        }
        Map<String, long[]> byName = new java.util.HashMap<>();
        long total = 0;
        for (Map.Entry<JfrClass, long[]> e : src.entrySet()) {
            String name = className(e.getKey());
            byName.computeIfAbsent(name, k -> new long[1])[0] += e.getValue()[0];
            total += e.getValue()[0];
        }
        List<AllocationSummary.ClassBytes> list = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byName.entrySet()) {
            list.add(new AllocationSummary.ClassBytes(e.getKey(), e.getValue()[0]));
        }
        list.sort((a, b) -> a.bytes() != b.bytes() ? Long.compare(b.bytes(), a.bytes())
                : a.className().compareTo(b.className()));
        ctx.add(new AllocationSummary(artifact, total, info.durationMs(),
                useWeighted ? "jdk.ObjectAllocationSample weights" : "TLAB sizes",
                list.size() > TOP ? list.subList(0, TOP) : list));
    }

    /**
     * A damaged constant pool can leave a class without a name, and JfrClass.getName then throws
     * (corpus jfr/crash-class-without-name).
     */
    private static String className(JfrClass c) {
        if (c == null) {
            return "[unknown]";
        }
        try {
            return c.getName();
        } catch (NullPointerException noName) {
            return "[unknown]";
        }
    }
}
