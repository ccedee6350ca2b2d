package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.WasteMixApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Waste} reads Strings, collections and their arrays in file order; {@link WasteByNode} (the session 6 code)
 * reads each object where it lies. On real dumps of {@link WasteMixApp} — JDK 17 with compressed oops, JDK 25 without
 * (8-byte references) and with compact headers — both give equal items, also when read ahead while the analysis
 * opens (as {@link HeapEngine} does), and the planted waste is there.
 */
class WasteFileOrderTest {
    @TempDir
    Path dir;

    @Test
    void fileOrderGivesTheItemsOfTheNodeOrderReadOnJdk17() throws Exception {
        Path dump = dir.resolve("mix17.hprof");
        try (JvmFixture jvm = JvmFixture.startWith(Path.of(System.getProperty("java.home")),
                List.of("-Xmx64m", "-XX:+UseSerialGC"), WasteMixApp.class)) {
            jvm.dump(dump, false);
        }
        assertSameItems(dump);
    }

    @Test
    void fileOrderGivesTheItemsOfTheNodeOrderReadOnJdk25WithoutCompressedOops() throws Exception {
        Path dump = dir.resolve("mix25.hprof");
        try (JvmFixture jvm = JvmFixture.startWith(JvmFixture.JDK25,
                List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:-UseCompressedOops", "-XX:+UseCompactObjectHeaders"),
                WasteMixApp.class)) {
            jvm.dump(dump, false);
        }
        assertSameItems(dump);
    }

    private void assertSameItems(Path dump) throws Exception {
        List<HeapReport.WasteItem> readAhead;
        // as HeapEngine opens it for a report with waste: the file-order kinds read right after pass 2
        try (HeapAnalysis a = HeapAnalysis.open(dump, dir, true)) {
            readAhead = new Waste(a).find(5);
        }
        try (HeapAnalysis a = HeapAnalysis.open(dump, dir)) {
            List<HeapReport.WasteItem> fileOrder = new Waste(a).find(5);
            List<HeapReport.WasteItem> nodeOrder = new WasteByNode(a).find(5);
            assertThat(fileOrder).isEqualTo(nodeOrder);
            assertThat(readAhead).isEqualTo(fileOrder);
            Map<String, HeapReport.WasteItem> byKind = fileOrder.stream()
                    .collect(Collectors.toMap(HeapReport.WasteItem::kind, Function.identity()));
            // 3000 + 2000 + 501 + 4 copies at least (the literals each add one; the JDK's own strings a few)
            assertThat(byKind.get("duplicate-strings").count()).isGreaterThanOrEqualTo(5500);
            // the two big values (and the prefix they were built from, if still in the dump) agree in the first MiB,
            // all the hash reads, and differ in size: one group whose waste depends on which copy the sort puts first
            assertThat(byKind.get("duplicate-strings").examples())
                    .anySatisfy(e -> assertThat(e).matches("[45] × \"p{60}\" wastes 4\\.0 MiB"));
            assertThat(byKind.get("duplicate-strings").examples())
                    .anySatisfy(e -> assertThat(e).startsWith("2001 × \"utf16-dupl\u00fccate-\u20ac\""));
            assertThat(byKind.get("empty-collections").count()).isGreaterThanOrEqualTo(500);
            assertThat(byKind.get("oversized-collections").count()).isGreaterThanOrEqualTo(100);
        }
    }

    /** Compares both on any dump: {@code java -cp ... dev.hotpath.analyzer.heap.WasteFileOrderTest DUMP}. */
    public static void main(String[] args) throws Exception {
        try (HeapAnalysis a = HeapAnalysis.open(Path.of(args[0]))) {
            long t0 = System.nanoTime();
            List<HeapReport.WasteItem> fileOrder = new Waste(a).find(5);
            long t1 = System.nanoTime();
            List<HeapReport.WasteItem> nodeOrder = new WasteByNode(a).find(5);
            long t2 = System.nanoTime();
            System.out.printf("file order %.1f s, node order %.1f s, equal: %s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    fileOrder.equals(nodeOrder));
            fileOrder.forEach(System.out::println);
            if (!fileOrder.equals(nodeOrder)) {
                nodeOrder.forEach(System.out::println);
            }
        }
    }
}
