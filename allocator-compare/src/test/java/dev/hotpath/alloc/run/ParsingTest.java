package dev.hotpath.alloc.run;

import dev.hotpath.alloc.proc.ProcFs;
import org.junit.jupiter.api.Test;

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

    @Test
    void jemallocTotalsLineOfVersion53() {
        Map<String, Long> t = JemallocStats.parseTotals("Allocated: 16062632, active: 24584192, metadata: 3791584 (n_thp 0), "
                + "resident: 28368896, mapped: 45625344, retained: 13094912");
        assertThat(t).containsExactly(Map.entry("allocatedBytes", 16062632L), Map.entry("activeBytes", 24584192L),
                Map.entry("metadataBytes", 3791584L), Map.entry("residentBytes", 28368896L),
                Map.entry("mappedBytes", 45625344L), Map.entry("retainedBytes", 13094912L));
        assertThat(JemallocStats.parseTotals("Background threads: 0")).isNull();
        assertThat(JemallocStats.withStatsPrint("background_thread:true"))
                .isEqualTo("background_thread:true,stats_print:true,stats_print_opts:gmdablxeh");
        assertThat(JemallocStats.withStatsPrint(null)).isEqualTo("stats_print:true,stats_print_opts:gmdablxeh");
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
