package dev.hotpath.alloc.run;

import dev.hotpath.alloc.proc.ProcFs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParsingTest {
    @Test
    void metricPatternsTakeTheValueGroupAndIgnoreThousandsSeparators() {
        assertThat(MetricPattern.parse("ops=ops/s: ([0-9.,]+)").extract("throughput ops/s: 12,345.5 (avg)")).isEqualTo(12345.5);
        assertThat(MetricPattern.parse("lat=p99=(?<unit>ms)?(?<value>\\d+)").extract("p99=42")).isEqualTo(42);
        assertThat(MetricPattern.parse("n=\\d+").extract("count 17 items")).isEqualTo(17);
        assertThat(MetricPattern.parse("n=ops: (\\w+)").extract("ops: many")).isNaN();
        assertThatThrownBy(() -> MetricPattern.parse("novalue")).hasMessage("--metric expects NAME=REGEX or NAME=json:PATH, got 'novalue'");
        assertThatThrownBy(() -> MetricPattern.parse("x=(")).hasMessageStartingWith("--metric x: bad regex:");
    }

    @Test
    void jsonMetricsReadAWholeDocumentOrTheLastJsonLine() {
        MetricPattern ops = MetricPattern.parse("ops=json:summary.opsPerSec");
        assertThat(ops.isJson()).isTrue();
        assertThat(ops.extractJson("{\n  \"summary\": {\"opsPerSec\": 1520.5, \"mibPerSec\": 12}\n}\n")).isEqualTo(1520.5);
        assertThat(ops.extractJson("warming up\n{\"summary\":{\"opsPerSec\":1}}\nprogress 50%\n"
                + "{\"summary\":{\"opsPerSec\":\"2,000\"}}\ndone\n")).isEqualTo(2000);
        assertThat(MetricPattern.parse("p99=json:latency.1.p99").extractJson("{\"latency\":[{\"p99\":1},{\"p99\":7.5}]}"))
                .isEqualTo(7.5);
        assertThat(ops.extractJson("{\"summary\":{}}")).isNaN();
        assertThat(ops.extract("{\"summary\":{\"opsPerSec\":3}}")).isNaN();
        assertThatThrownBy(() -> MetricPattern.parse("x=json:a..b"))
                .hasMessage("--metric x: bad JSON path 'a..b' (use e.g. json:summary.opsPerSec)");
    }

    private static Map<String, Long> feed(AllocatorStatsFormat f, String text, java.util.List<String> kept) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!f.accept(line, out)) {
                kept.add(line);
            }
        }
        return out;
    }

    @Test
    void jemallocTotalsLineOfVersion53() {
        AllocatorStatsFormat f = AllocatorStatsFormat.forLibrary(Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"));
        java.util.List<String> kept = new java.util.ArrayList<>();
        Map<String, Long> t = feed(f, String.join("\n", "before", "___ Begin jemalloc statistics ___",
                "Allocated: 16062632, active: 24584192, metadata: 3791584 (n_thp 0), resident: 28368896, mapped: 45625344, retained: 13094912",
                "Count of realloc(non-null-ptr, 0) calls: 0", "Background threads: 0, num_runs: 0, run_interval: 0 ns",
                "--- End jemalloc statistics ---", "after"), kept);
        assertThat(t).containsExactly(Map.entry("allocatedBytes", 16062632L), Map.entry("activeBytes", 24584192L),
                Map.entry("metadataBytes", 3791584L), Map.entry("residentBytes", 28368896L),
                Map.entry("mappedBytes", 45625344L), Map.entry("retainedBytes", 13094912L));
        assertThat(kept).containsExactly("before", "after");
        Map<String, String> env = new java.util.HashMap<>(Map.of("MALLOC_CONF", "background_thread:true"));
        f.addEnv(env);
        assertThat(env).containsExactly(Map.entry("MALLOC_CONF", "background_thread:true,stats_print:true,stats_print_opts:gmdablxeh"));
    }

    @Test
    void tcmallocMallocstatsOfGperftools210() {
        AllocatorStatsFormat f = AllocatorStatsFormat.forLibrary(Path.of("/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"));
        java.util.List<String> kept = new java.util.ArrayList<>();
        Map<String, Long> t = feed(f, String.join("\n",
                "------------------------------------------------",
                "MALLOC:        8106432 (    7.7 MiB) Bytes in use by application",
                "MALLOC: +      6463488 (    6.2 MiB) Bytes in page heap freelist",
                "MALLOC: +      2621440 (    2.5 MiB) Bytes in malloc metadata",
                "MALLOC:   ------------",
                "MALLOC: =     21495808 (   20.5 MiB) Actual memory used (physical + swap)",
                "MALLOC:           1132              Spans in use",
                "------------------------------------------------",
                "Call ReleaseFreeMemory() to release freelist memory to the OS (via madvise()).",
                "Bytes released to the OS take up virtual address space but no physical memory.",
                "blocks_kept: 1"), kept);
        assertThat(t).containsExactly(Map.entry("inUseBytes", 8106432L), Map.entry("pageHeapFreeBytes", 6463488L),
                Map.entry("metadataBytes", 2621440L), Map.entry("actualBytes", 21495808L));
        assertThat(kept).containsExactly("blocks_kept: 1");
    }

    @Test
    void mimallocShowStatsOf209() {
        AllocatorStatsFormat f = AllocatorStatsFormat.forLibrary(Path.of("/lib/x86_64-linux-gnu/libmimalloc.so.2"));
        java.util.List<String> kept = new java.util.ArrayList<>();
        Map<String, Long> t = feed(f, String.join("\n",
                "heap stats:    peak      total      freed    current       unit      count   ",
                "  reserved:  288.0 MiB  288.0 MiB      0      288.0 MiB                        ",
                " committed:   61.0 MiB   72.0 MiB   12.0 MiB   60.0 MiB                        ",
                "   touched:  578.2 KiB  578.2 KiB    8.0 MiB   -7.4 MiB                        ok",
                "   elapsed:       0.696 s",
                "   process: user: 0.087 s, system: 0.074 s, faults: 1, rss: 23.2 MiB, commit: 61.0 MiB",
                "done"), kept);
        assertThat(t).containsExactly(Map.entry("reservedPeakBytes", 288L << 20), Map.entry("reservedCurrentBytes", 288L << 20),
                Map.entry("committedPeakBytes", 61L << 20), Map.entry("committedCurrentBytes", 60L << 20),
                Map.entry("processRssBytes", Math.round(23.2 * (1 << 20))), Map.entry("processCommitBytes", 61L << 20));
        assertThat(kept).containsExactly("done");
    }

    @Test
    void statFieldsAreCountedFromTheLastParenthesis() {
        String line = "22251 (we ird) name)) R 22246 22246 5956 0 -1 4194304 89 11028 0 3 0 0 23 14 20 0 1 0";
        String[] f = ProcFs.statFieldsFrom3(line);
        assertThat(ProcFs.field(f, 3)).isEqualTo(-1); // the state letter is not a number
        assertThat(ProcFs.field(f, 9)).isEqualTo(4194304);
        assertThat(ProcFs.field(f, 11)).isEqualTo(11028);
        assertThat(ProcFs.field(f, 13)).isEqualTo(3);
        assertThat(ProcFs.field(f, 16)).isEqualTo(23);
        assertThat(ProcFs.field(f, 17)).isEqualTo(14);
        assertThat(ProcFs.field(f, 99)).isEqualTo(-1);
    }
}
