package dev.hotpath.analyzer.heap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of analysing one dump (and optionally comparing it with an older one). Field names of {@link #toJson}
 * are the Heap JSON contract of DESIGN.md; {@code waste}, {@code holderGrowth} and {@code notes} are additions.
 * Immutable.
 */
public record HeapReport(String dump, long objects, int classes, long shallowBytes, long reachableBytes, int gcRoots,
                         List<ClassRow> histogram, List<DominatorRow> dominators, List<Suspect> suspects,
                         List<WasteItem> waste, List<GrowthRow> growth, List<HolderGrowth> holderGrowth,
                         List<String> notes) {

    /** One class: instances, shallow bytes, and the bytes its instances retain together (overlaps counted once). */
    public record ClassRow(String className, long instances, long shallowBytes, long retainedBytes) {
    }

    /** A dominator tree node; {@code depth} 0 = directly below the GC roots. */
    public record DominatorRow(long objectId, String className, long shallowBytes, long retainedBytes, int depth,
                               String holder, List<String> pathToRoot) {
    }

    public record Accumulation(String className, String elementClass, long elements, long retainedBytes) {
    }

    /** A leak suspect: one object (or {@code instances} of one class) retaining at least the threshold share. */
    public record Suspect(String title, String holder, String className, long objectId, long instances,
                          long retainedBytes, double percent, Accumulation accumulation, int classLoaders,
                          List<String> pathToRoot) {
    }

    /** {@code kind}: duplicate-strings, empty-collections, oversized-collections, boxed-primitives, sparse-arrays. */
    public record WasteItem(String kind, String description, long count, long wastedBytes, List<String> examples) {
    }

    public record GrowthRow(String className, long instancesDelta, long bytesDelta, String holder) {
    }

    public record HolderGrowth(String holder, String elementClass, long elementsBefore, long elementsAfter,
                               long retainedBefore, long retainedAfter) {
    }

    public HeapReport withGrowth(List<GrowthRow> rows, List<HolderGrowth> holders) {
        return new HeapReport(dump, objects, classes, shallowBytes, reachableBytes, gcRoots, histogram, dominators,
                suspects, waste, rows, holders, notes);
    }

    /**
     * The whole bounded dominator tree in pre-order (each node's children follow it, one {@code depth} deeper), for
     * the web UI's lazily expanded tree. Not part of {@link #toJson}, whose field set is the CLI's contract.
     */
    public List<Map<String, Object>> dominatorTreeJson() {
        List<Map<String, Object>> tree = new ArrayList<>();
        for (DominatorRow r : dominators) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("objectId", "0x" + Long.toHexString(r.objectId));
            m.put("class", r.className);
            m.put("shallowBytes", r.shallowBytes);
            m.put("retainedBytes", r.retainedBytes);
            m.put("depth", r.depth);
            m.put("holder", r.holder);
            if (!r.pathToRoot.isEmpty()) {
                m.put("pathToRoot", r.pathToRoot);
            }
            tree.add(m);
        }
        return tree;
    }

    /** JSON-compatible maps and lists in DESIGN.md's field order. */
    public Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("objects", objects);
        summary.put("classes", classes);
        summary.put("shallowBytes", shallowBytes);
        summary.put("gcRoots", gcRoots);
        root.put("summary", summary);
        List<Object> hist = new ArrayList<>();
        for (ClassRow r : histogram) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", r.className);
            m.put("instances", r.instances);
            m.put("shallowBytes", r.shallowBytes);
            m.put("retainedBytes", r.retainedBytes);
            hist.add(m);
        }
        root.put("histogram", hist);
        List<Object> doms = new ArrayList<>();
        for (DominatorRow r : dominators) {
            if (r.depth != 0) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("objectId", "0x" + Long.toHexString(r.objectId));
            m.put("class", r.className);
            m.put("shallowBytes", r.shallowBytes);
            m.put("retainedBytes", r.retainedBytes);
            m.put("pathToRoot", r.pathToRoot);
            doms.add(m);
        }
        root.put("dominators", doms);
        List<Object> sus = new ArrayList<>();
        for (Suspect s : suspects) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("title", s.title);
            m.put("holder", s.holder);
            m.put("class", s.className);
            m.put("retainedBytes", s.retainedBytes);
            m.put("percent", Math.round(s.percent * 10) / 10.0);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("class", s.accumulation.className);
            a.put("elementClass", s.accumulation.elementClass);
            a.put("elements", s.accumulation.elements);
            m.put("accumulation", a);
            sus.add(m);
        }
        root.put("suspects", sus);
        List<Object> growthJson = new ArrayList<>();
        for (GrowthRow g : growth) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", g.className);
            m.put("instancesDelta", g.instancesDelta);
            m.put("bytesDelta", g.bytesDelta);
            m.put("holder", g.holder);
            growthJson.add(m);
        }
        root.put("growth", growthJson);
        List<Object> hg = new ArrayList<>();
        for (HolderGrowth h : holderGrowth) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("holder", h.holder);
            m.put("elementClass", h.elementClass);
            m.put("elementsDelta", h.elementsAfter - h.elementsBefore);
            m.put("retainedBytesDelta", h.retainedAfter - h.retainedBefore);
            m.put("retainedBytes", h.retainedAfter);
            hg.add(m);
        }
        root.put("holderGrowth", hg);
        List<Object> w = new ArrayList<>();
        for (WasteItem item : waste) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", item.kind);
            m.put("description", item.description);
            m.put("count", item.count);
            m.put("wastedBytes", item.wastedBytes);
            m.put("examples", item.examples);
            w.add(m);
        }
        root.put("waste", w);
        root.put("notes", notes);
        return root;
    }
}
