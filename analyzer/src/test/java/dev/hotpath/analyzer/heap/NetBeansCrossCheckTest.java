package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.ListenerLeak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-check with an independent HPROF implementation, NetBeans' profiler library (RELEASE250), on a dump of a
 * real program. Counts are compared exactly. Sizes are compared like with like: the two tools model shallow sizes
 * differently (see {@link SizeModel}), so our dominator tree is summed with NetBeans' own per-object sizes and the
 * result compared with NetBeans' retained size of the same objects.
 */
class NetBeansCrossCheckTest {
    @TempDir
    Path dir;

    @Test
    void objectCountsMatchAndRetainedSizesAgreeWithinHalfAPercent() throws Exception {
        Path ours = dir.resolve("listeners.hprof");
        try (JvmFixture jvm = JvmFixture.start(ListenerLeak.class)) {
            jvm.dump(ours, false);
        }
        // NetBeans writes listeners.hprof.nbcache/ beside its input: give it its own copy in its own directory
        Path nbDir = Files.createDirectories(dir.resolve("netbeans"));
        Path copy = Files.copy(ours, nbDir.resolve("copy.hprof"));
        Heap nb = HeapFactory.createHeap(copy.toFile());

        try (HeapAnalysis a = HeapAnalysis.open(ours, dir)) {
            HeapIndex index = a.index;
            Map<String, Long> ourCounts = new HashMap<>();
            for (ClassInfo c : index.classes) {
                if (c.instances > 0 && c.index != index.classOfClass) {
                    ourCounts.merge(c.name, c.instances, Long::sum);
                }
            }
            Map<String, Long> nbCounts = new HashMap<>();
            for (Object o : nb.getAllClasses()) {
                JavaClass jc = (JavaClass) o;
                if (jc.getInstancesCount() > 0 && !jc.getName().equals("java.lang.Class")) {
                    nbCounts.merge(jc.getName(), (long) jc.getInstancesCount(), Long::sum);
                }
            }
            assertThat(ourCounts).isEqualTo(nbCounts);
            assertThat(ourCounts.get("dev.hotpath.analyzer.heap.apps.ListenerLeak$Listener")).isEqualTo(8000L);

            // NetBeans' shallow size per object, placed on our nodes
            long[] nbSize = new long[(int) index.objectCount + 1];
            for (Iterator<?> it = nb.getAllInstancesIterator(); it.hasNext(); ) {
                Instance i = (Instance) it.next();
                int node = (int) index.nodeOf(i.getInstanceId());
                assertThat(node).isPositive();
                nbSize[node] = i.getSize();
            }
            long[] retained = retainedWith(a.dominators, nbSize);

            ReportBuilder rb = new ReportBuilder(a);
            HeapReport report = rb.build(false);
            HeapReport.Suspect s = report.suspects().get(0);
            int list = (int) index.nodeOf(s.objectId());
            long nbRetained = nb.getInstanceByID(s.objectId()).getRetainedSize();
            assertThat((double) retained[list]).as("retained bytes of the listener list, NetBeans sizes")
                    .isCloseTo(nbRetained, org.assertj.core.data.Percentage.withPercentage(0.5));
            // and the biggest objects NetBeans finds agree with our tree too
            int checked = 0;
            for (Object o : nb.getBiggestObjectsByRetainedSize(5)) {
                Instance i = (Instance) o;
                if (i.getJavaClass().getName().equals("java.lang.Class")) {
                    continue;
                }
                int node = (int) index.nodeOf(i.getInstanceId());
                assertThat((double) retained[node]).as(i.getJavaClass().getName())
                        .isCloseTo(i.getRetainedSize(), org.assertj.core.data.Percentage.withPercentage(0.5));
                checked++;
            }
            assertThat(checked).isPositive();
        }
    }

    /** Sums sizes over our dominator tree (post-order, iterative). */
    static long[] retainedWith(Dominators d, long[] size) {
        long[] r = new long[size.length];
        int[] stack = new int[size.length + 1];
        int[] pos = new int[size.length + 1];
        int sp = 0;
        stack[sp] = 0;
        pos[sp++] = 0;
        while (sp > 0) {
            int v = stack[sp - 1];
            if (pos[sp - 1] < d.childCount(v)) {
                int c = (int) d.child(v, pos[sp - 1]++);
                stack[sp] = c;
                pos[sp++] = 0;
            } else {
                sp--;
                r[v] += size[v];
                if (sp > 0) {
                    r[stack[sp - 1]] += r[v];
                }
            }
        }
        return r;
    }
}
