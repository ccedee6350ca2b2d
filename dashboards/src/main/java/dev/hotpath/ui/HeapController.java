package dev.hotpath.ui;

import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.store.StoreException;
import dev.hotpath.analyzer.store.WorkspaceStore;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/runs/{id}/heap/dominators[?summary=KIND][&parent=0xID]}: one level of a stored heap summary's
 * dominator tree, so that the page fetches a node's children when it is expanded instead of the whole tree up front.
 * Without {@code parent}: the nodes directly below the GC roots. The summary keeps the tree as pre-order rows with a
 * {@code depth} ({@code dominatorTree}; older summaries only the top level as {@code dominators}); a node's children are
 * the rows after it one level deeper, up to the next row at its own depth or above. The tree is bounded by the
 * analyzer, so a scan per request is cheap.
 */
final class HeapController {
    static final String KIND = "heap.analysis";

    private final WorkspaceStore store;

    HeapController(WorkspaceStore store) {
        this.store = store;
    }

    void dominators(Context ctx) throws StoreException {
        String id = ctx.pathParam("id");
        Run run = store.load(id).orElseThrow(() -> new NotFoundResponse("no run '" + id + "'"));
        String kind = ctx.queryParam("summary");
        if (kind == null || kind.isBlank()) {
            kind = run.summaries().keySet().stream().filter(k -> k.equals(KIND) || k.startsWith(KIND + "["))
                    .sorted().findFirst().orElse(KIND);
        }
        if (!(run.summaries().get(kind) instanceof Map<?, ?> heap) || !(heap.get("dominators") instanceof List<?>)) {
            throw new NotFoundResponse("run " + run.id() + " has no heap summary '" + kind + "'");
        }
        List<Map<?, ?>> rows = rows(heap);
        long total = total(heap);
        String parent = ctx.queryParam("parent");
        int from;
        int depth;
        if (parent == null || parent.isBlank()) {
            from = 0;
            depth = 0;
        } else {
            int at = indexOf(rows, parent);
            if (at < 0) {
                throw new NotFoundResponse("no dominator tree node " + parent + " in " + kind);
            }
            from = at + 1;
            depth = depth(rows.get(at)) + 1;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = from; i < rows.size(); i++) {
            int d = depth(rows.get(i));
            if (d < depth) {
                break;
            }
            if (d == depth) {
                out.add(node(rows, i, total));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", kind);
        m.put("parent", parent == null || parent.isBlank() ? null : parent);
        m.put("heapBytes", total);
        m.put("nodes", out);
        ctx.json(m);
    }

    private static List<Map<?, ?>> rows(Map<?, ?> heap) {
        Object tree = heap.get("dominatorTree");
        if (!(tree instanceof List<?>)) {
            tree = heap.get("dominators");
        }
        List<Map<?, ?>> rows = new ArrayList<>();
        if (tree instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> row) {
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** The heap the percentages are of: the bytes reachable from the roots when stored, else all shallow bytes. */
    private static long total(Map<?, ?> heap) {
        long reachable = number(heap.get("reachableBytes"));
        if (reachable > 0) {
            return reachable;
        }
        return heap.get("summary") instanceof Map<?, ?> s ? number(s.get("shallowBytes")) : 0;
    }

    private static Map<String, Object> node(List<Map<?, ?>> rows, int i, long total) {
        Map<?, ?> r = rows.get(i);
        int d = depth(r);
        int children = 0;
        for (int j = i + 1; j < rows.size() && depth(rows.get(j)) > d; j++) {
            if (depth(rows.get(j)) == d + 1) {
                children++;
            }
        }
        long retained = number(r.get("retainedBytes"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objectId", String.valueOf(r.get("objectId")));
        m.put("class", String.valueOf(r.get("class")));
        m.put("shallowBytes", number(r.get("shallowBytes")));
        m.put("retainedBytes", retained);
        m.put("percent", total <= 0 ? 0.0 : Math.round(retained * 10_000.0 / total) / 100.0);
        m.put("holder", r.get("holder"));
        m.put("children", children);
        m.put("pathToRoot", r.get("pathToRoot"));
        return m;
    }

    private static int indexOf(List<Map<?, ?>> rows, String objectId) {
        for (int i = 0; i < rows.size(); i++) {
            if (objectId.equalsIgnoreCase(String.valueOf(rows.get(i).get("objectId")))) {
                return i;
            }
        }
        return -1;
    }

    private static int depth(Map<?, ?> row) {
        return (int) number(row.get("depth"));
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
