package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.internal.HprofTypes;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Names what keeps an object alive, as a user reads it. Anchors are the objects a program names directly:
 * the value of a static field ({@code static com.acme.Cache.ENTRIES}), a thread's ThreadLocal map
 * ({@code ThreadLocal on thread "pool-1-thread-2"}), a local variable of a live frame
 * ({@code thread "ingest-3" local in com.acme.Ingest.run}). The holder of an object is the first anchor on its chain
 * of dominators, followed by the instance fields leading from the anchor down to the object
 * ({@code static com.acme.Bus.INSTANCE.listeners}); an object no anchor dominates is named by its GC root on the
 * shortest path. Not thread-safe (reads objects through the index's window).
 */
public final class Holders {
    private final HeapAnalysis analysis;
    private final HeapIndex index;
    private final Map<Long, String> anchors = new HashMap<>();
    private final Map<Long, String> threadLocalAnchors = new HashMap<>();
    private final java.util.Set<Long> frameLocals = new java.util.HashSet<>();

    Holders(HeapAnalysis analysis) throws IOException {
        this.analysis = analysis;
        this.index = analysis.index;
        for (ClassInfo c : index.classes) {
            for (int i = 0; i < c.staticTypes.length; i++) {
                if (c.staticTypes[i] == HprofTypes.OBJECT && c.staticValues[i] != 0) {
                    long t = index.nodeOf(c.staticValues[i]);
                    // a static holding a Class names nothing a user would look for; descend through it instead
                    if (t > 0 && !index.isClassObject(t)) {
                        anchors.putIfAbsent(t, "static " + c.name + "." + c.staticNames[i]);
                    }
                }
            }
        }
        for (Map.Entry<Integer, Long> t : index.threadObjectBySerial.entrySet()) {
            long thread = index.nodeOf(t.getValue());
            if (thread <= 0) {
                continue;
            }
            String name = threadName(thread);
            for (String field : new String[] {"threadLocals", "inheritableThreadLocals"}) {
                long map = index.nodeOf(index.field(thread, field, 0));
                if (map > 0) {
                    String label = "ThreadLocal on thread \"" + name + "\"";
                    anchors.put(map, label);
                    threadLocalAnchors.put(map, label);
                }
            }
        }
        for (int r = 0; r < index.rootCount; r++) {
            if (index.rootTags[r] != (byte) HprofTypes.ROOT_JAVA_FRAME) {
                continue;
            }
            long node = index.nodeOf(index.rootIds[r]);
            if (node <= 0 || anchors.containsKey(node)) {
                continue;
            }
            Long threadId = index.threadObjectBySerial.get(index.rootThreads[r]);
            String thread = threadId == null ? "?" : threadName(index.nodeOf(threadId));
            String method = frameMethod(index.rootThreads[r], index.rootFrames[r]);
            anchors.put(node, "thread \"" + thread + "\" local" + (method == null ? "" : " in " + method));
            frameLocals.add(node);
        }
    }

    private String frameMethod(int threadSerial, int frame) {
        Integer trace = index.traceByThreadSerial.get(threadSerial);
        long[] frames = trace == null ? null : index.framesByTrace.get(trace);
        if (frames == null || frame < 0 || frame >= frames.length) {
            return null;
        }
        return index.frameMethods.get(frames[frame]);
    }

    String threadName(long thread) throws IOException {
        if (thread <= 0) {
            return "?";
        }
        String s = index.stringValue(index.nodeOf(index.field(thread, "name", 0)), 200);
        return s == null ? "?" : s;
    }

    /** A frame local is a weak anchor: what it dominates may have a better name (a ThreadLocal, a field). */
    boolean isFrameLocal(long node) {
        return frameLocals.contains(node);
    }

    /** The anchor's own label when the node is one, else null. */
    public String anchor(long node) {
        return anchors.get(node);
    }

    public Map<Long, String> anchors() {
        return anchors;
    }

    /** The holder of a node, as described in the class comment. */
    public String holderOf(long node) throws IOException {
        Dominators d = analysis.dominators;
        long[] chain = new long[16];
        int len = 0;
        for (long v = node; v > 0; v = d.idom(v)) {
            if (len == chain.length) {
                chain = java.util.Arrays.copyOf(chain, len * 2);
            }
            chain[len++] = v;
            String a = anchors.get(v);
            if (a != null) {
                if (threadLocalAnchors.containsKey(v)) {
                    return a;
                }
                StringBuilder sb = new StringBuilder(a);
                for (int i = len - 1; i > 0; i--) {
                    long parent = chain[i];
                    long child = chain[i - 1];
                    // a field leading into an array (elementData, table) is the collection's own business
                    if (index.classOf(parent).isArray() || index.isClassObject(parent)
                            || index.isClassObject(child) || index.classOf(child).isArray()) {
                        break;
                    }
                    String f = fieldName(parent, child);
                    if (f == null || !f.startsWith(".")) {
                        break;
                    }
                    sb.append(f);
                }
                return sb.toString();
            }
            if (d.idom(v) < 0) {
                break;
            }
        }
        long[] path = analysis.paths().pathToRoot(node);
        if (path.length == 0) {
            return "unreachable";
        }
        long root = path[path.length - 1];
        return rootKind(root) + " " + index.describe(root);
    }

    String rootKind(long node) {
        long id = index.id(node);
        String kind = null;
        for (int r = 0; r < index.rootCount; r++) {
            if (index.rootIds[r] == id) {
                kind = HprofTypes.rootKind(index.rootTags[r] & 0xff);
                if (index.rootTags[r] != (byte) HprofTypes.ROOT_UNKNOWN) {
                    break;
                }
            }
        }
        return kind == null ? "GC root" : kind + " root";
    }

    /**
     * How {@code parent} refers to {@code child}: {@code .field} for an instance field, {@code .FIELD (static)} for a
     * class's static, {@code [i]} for an array element, {@code <class>} for the implicit instance-to-class edge.
     */
    String fieldName(long parent, long child) throws IOException {
        long cid = index.id(child);
        if (index.isClassObject(parent)) {
            ClassInfo c = index.classForClassObject(parent);
            if (c != null) {
                for (int i = 0; i < c.staticValues.length; i++) {
                    if (c.staticTypes[i] == HprofTypes.OBJECT && c.staticValues[i] == cid) {
                        return "." + c.staticNames[i] + " (static)";
                    }
                }
                if (c.loaderId == cid) {
                    return "<classloader>";
                }
            }
            return null;
        }
        ClassInfo c = index.classOf(parent);
        if (c.arrayElementType == HprofTypes.OBJECT) {
            long[] elements = index.arrayElements(parent, 1 << 20);
            for (int i = 0; i < elements.length; i++) {
                if (elements[i] == cid) {
                    return "[" + i + "]";
                }
            }
            return null;
        }
        if (c.objectId == cid) {
            return "<class>";
        }
        byte[] data = index.instanceData(parent);
        for (int i = 0; i < c.allFieldNames.length; i++) {
            if (c.allFieldTypes[i] == HprofTypes.OBJECT
                    && index.decode(data, c.allFieldOffsets[i], HprofTypes.OBJECT, 0) == cid) {
                return "." + c.allFieldNames[i];
            }
        }
        return null;
    }

    /** Shortest path from the object to its GC root, one line per object, the object first. */
    public java.util.List<String> pathToRoot(long node, int maxLines) throws IOException {
        long[] path = analysis.paths().pathToRoot(node);
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < path.length && i < maxLines; i++) {
            StringBuilder sb = new StringBuilder(index.describe(path[i]));
            if (i > 0) {
                String f = fieldName(path[i], path[i - 1]);
                if (f != null) {
                    sb.append(' ').append(f);
                }
            }
            if (i == path.length - 1) {
                sb.append(" (").append(rootKind(path[i])).append(')');
            }
            out.add(sb.toString());
        }
        if (path.length > maxLines) {
            out.add("… " + (path.length - maxLines) + " more");
        }
        return out;
    }
}
