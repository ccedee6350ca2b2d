package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.WasteApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Waste on a real JVM (the 4000 built strings plus the literal they copy make 4001 equal values) with planted duplicates, cleared lists, boxes and sparse arrays; sizes per {@link SizeModel}. */
class HeapWasteTest {
    @TempDir
    Path dir;

    @Test
    void eachKindOfWasteIsCountedWithItsBytes() throws Exception {
        HeapReport r = HeapLeakSuspectsTest.dumpAndAnalyze(WasteApp.class, dir.resolve("waste.hprof"));
        Map<String, HeapReport.WasteItem> byKind = r.waste().stream()
                .collect(Collectors.toMap(HeapReport.WasteItem::kind, Function.identity()));
        String text = HeapLeakSuspectsTest.text(r);
        // String: 12 header + value 4 + hash 4 + coder 1 + hashIsZero 1 = 22 → 24; byte[15]: 16 + 15 = 31 → 32
        assertThat(byKind.get("duplicate-strings").examples()).as(text)
                .startsWith("4001 × \"duplicate-value\" wastes " + Bytes.format(4000L * (24 + 32)));
        // ArrayList(40) cleared: an Object[40] of 16 + 160 = 176 bytes each
        HeapReport.WasteItem empty = byKind.get("empty-collections");
        assertThat(empty.count()).as(text).isGreaterThanOrEqualTo(500);
        assertThat(empty.wastedBytes()).isGreaterThanOrEqualTo(500L * 176);
        // Long: 12 + 8 = 20 → 24 bytes for 8 bytes of value
        HeapReport.WasteItem boxes = byKind.get("boxed-primitives");
        assertThat(boxes.examples()).anySatisfy(e -> assertThat(e).matches("\\d+ × java\\.lang\\.Long waste .*"));
        assertThat(boxes.count()).isGreaterThanOrEqualTo(3000);
        // 200 Object[100] with one slot used: 99 × 4 bytes each
        HeapReport.WasteItem sparse = byKind.get("sparse-arrays");
        assertThat(sparse.count()).isGreaterThanOrEqualTo(200);
        assertThat(sparse.wastedBytes()).isGreaterThanOrEqualTo(200L * 99 * 4);
        assertThat(text).contains("Waste\n");
    }
}
