package dev.hotpath.analyzer.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DisplayNamesTest {
    @Test
    void uniqueFileNamesStayPlainAndSharedOnesGetTheShortestTellingSuffix() {
        Path gwJfr = Path.of("/tmp/demo/run-gateway/recording.jfr");
        Path cacheJfr = Path.of("/tmp/demo/run-cache/recording.jfr");
        Path a = Path.of("/x/a/nmt/summary-0001.txt");
        Path b = Path.of("/x/b/nmt/summary-0001.txt");
        Path rss = Path.of("/tmp/demo/run-cache/rss.csv");
        Map<Path, String> names = Analyzer.displayNames(List.of(gwJfr, cacheJfr, a, b, rss));
        assertThat(names).containsExactlyInAnyOrderEntriesOf(Map.of(
                gwJfr, "run-gateway/recording.jfr",
                cacheJfr, "run-cache/recording.jfr",
                a, "a/nmt/summary-0001.txt",
                b, "b/nmt/summary-0001.txt",
                rss, "rss.csv"));
    }
}
