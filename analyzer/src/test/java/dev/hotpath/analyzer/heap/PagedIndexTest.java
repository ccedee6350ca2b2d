package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.NestedLeak;
import dev.hotpath.analyzer.heap.internal.IntPages;
import dev.hotpath.analyzer.heap.internal.LongPages;
import dev.hotpath.analyzer.heap.internal.NodeArray;
import dev.hotpath.analyzer.heap.internal.Paging;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dump of 2^31 objects (about 60 GB) cannot be made here, so the paths such a dump takes are walked on a small one:
 * pages of 4 elements (every column, the graph, the dominator arrays and the BFS parents cross tens of thousands of
 * page boundaries) and the long path forced ({@link NodeArray#LONG_PROPERTY}: long node arrays, 8-byte index files,
 * retained sizes in bytes) must give the very report of the default pages and ints — the record, its JSON and its
 * text, byte for byte.
 */
class PagedIndexTest {
    @TempDir
    Path dir;

    @Test
    void tinyPagesAndTheLongPathGiveTheDefaultReportByteForByte() throws Exception {
        Path dump = dir.resolve("nested.hprof");
        try (JvmFixture jvm = JvmFixture.start(NestedLeak.class)) {
            jvm.dump(dump, false);
        }
        Path work = dir.resolve("work");
        Run normal = run(dump, work, null, false);
        Run tiny = run(dump, work, 2, false);
        Run longs = run(dump, work, 3, true);
        assertThat(normal.report.objects()).isGreaterThan(10_000);
        assertThat(normal.report.suspects()).isNotEmpty();
        for (Run r : new Run[] {tiny, longs}) {
            assertThat(r.report).isEqualTo(normal.report);
            assertThat(r.json).isEqualTo(normal.json);
            assertThat(r.text).isEqualTo(normal.text);
        }
        assertThat(normal.childrenType).isEqualTo(IntPages.class);
        assertThat(normal.childPages).isEqualTo(1);
        assertThat(tiny.childrenType).isEqualTo(IntPages.class);
        assertThat(tiny.childPages).as("pages of 4 children").isGreaterThan(2_500);
        assertThat(longs.childrenType).isEqualTo(LongPages.class);
    }

    private record Run(HeapReport report, Map<String, Object> json, String text, Class<?> childrenType, long childPages) {
    }

    private static Run run(Path dump, Path work, Integer pageBits, boolean forceLongs) throws Exception {
        if (pageBits != null) {
            System.setProperty(Paging.PROPERTY, pageBits.toString());
        }
        if (forceLongs) {
            System.setProperty(NodeArray.LONG_PROPERTY, "true");
        }
        try (HeapAnalysis a = HeapAnalysis.open(dump, work)) {
            HeapReport r = new ReportBuilder(a).top(20).build(true);
            StringWriter sw = new StringWriter();
            try (PrintWriter pw = new PrintWriter(sw)) {
                HeapText.print(r, pw);
            }
            NodeArray children = a.dominators().children;
            int pages = children instanceof IntPages ip ? ip.pageCount() : ((LongPages) children).pageCount();
            return new Run(r, r.toJson(), sw.toString(), children.getClass(), pages);
        } finally {
            System.clearProperty(Paging.PROPERTY);
            System.clearProperty(NodeArray.LONG_PROPERTY);
        }
    }
}
