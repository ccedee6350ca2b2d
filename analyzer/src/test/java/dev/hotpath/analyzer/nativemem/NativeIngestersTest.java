package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.model.UnusableInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NativeIngestersTest {
    @TempDir
    Path dir;

    final List<Summary> added = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final IngestContext ctx = new IngestContext() {
        @Override
        public void add(Summary summary) {
            added.add(summary);
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }
    };

    static Artifact artifact(Path p, ArtifactType t) throws Exception {
        return new Artifact(p, t, Files.size(p), null, Map.of());
    }

    @Test
    void nmtSnapshotTakesTheRecordHeaderTime() throws Exception {
        Path f = dir.resolve("summary-0001.txt");
        Files.writeString(f, "# hotpath epochMillis=1764064800123\n"
                + Files.readString(Path.of(getClass().getResource("/nativemem/nmt17-summary.txt").toURI())));
        new NmtIngester().ingest(artifact(f, ArtifactType.NMT), ctx);
        NmtSnapshot s = (NmtSnapshot) added.get(0);
        assertThat(s.epochMillis()).isEqualTo(1764064800123L);
        assertThat(s.report().totalCommittedKb()).isEqualTo(473186);
        assertThat(s.kind()).isEqualTo("native.nmt");
    }

    @Test
    void rssTimelineWithATornRowIsReadWithANote() throws Exception {
        Path f = Files.writeString(dir.resolve("rss.csv"), "# hotpath-rss v1\nepochMillis,rssKb,pssKb,anonKb,fileKb,swapKb\n"
                + "1000,2048,2000,1500,548,0\n2000,4096,4000,3500,596,0\n3000,40");
        new RssIngester().ingest(artifact(f, ArtifactType.RSS), ctx);
        RssSeries s = (RssSeries) added.get(0);
        assertThat(s.epochMillis()).containsExactly(1000, 2000);
        assertThat(s.rssKb()).containsExactly(2048, 4096);
        assertThat(notes).containsExactly("rss.csv: 1 malformed row(s) skipped (a torn last line means the recorder "
                + "was stopped mid-write)");
    }

    @Test
    void longTimelinesAreAveragedDownToTheBound() throws Exception {
        StringBuilder sb = new StringBuilder("# hotpath-rss v1\nepochMillis,rssKb,pssKb,anonKb,fileKb,swapKb\n");
        for (int i = 0; i < 5000; i++) {
            sb.append(i * 1000L).append(',').append(1000 + i).append(",1,1,1,0\n");
        }
        Path f = Files.writeString(dir.resolve("rss.csv"), sb);
        new RssIngester().ingest(artifact(f, ArtifactType.RSS), ctx);
        RssSeries s = (RssSeries) added.get(0);
        assertThat(s.size()).isEqualTo(1667); // 3 samples per point
        assertThat(s.rssKb()[0]).isEqualTo(1001);
        assertThat(s.epochMillis()[0]).isEqualTo(1000);
    }

    @Test
    void unusableInputNamesTheFileOnce() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        List<Object[]> cases = List.of(
                new Object[]{new NmtIngester(), ArtifactType.NMT, empty + ": empty file, expected jcmd VM.native_memory output"},
                new Object[]{new RssIngester(), ArtifactType.RSS, empty + ": empty file, expected an RSS timeline ('# hotpath-rss v1')"},
                new Object[]{new JemallocProfileIngester(), ArtifactType.JEMALLOC, empty + ": empty file, expected a jemalloc heap profile ('heap_v2/...')"},
                new Object[]{new JemallocStatsIngester(), ArtifactType.JEMALLOC_STATS, empty + ": not jemalloc malloc_stats_print output (no '___ Begin jemalloc statistics ___')"});
        for (Object[] c : cases) {
            Ingester in = (Ingester) c[0];
            assertThatThrownBy(() -> in.ingest(artifact(empty, (ArtifactType) c[1]), ctx))
                    .isInstanceOf(UnusableInputException.class).hasMessage((String) c[2]);
        }
        Path junk = Files.writeString(dir.resolve("x.jfr"), "not a recording");
        assertThatThrownBy(() -> new NativeMemJfrIngester().ingest(artifact(junk, ArtifactType.ASYNC_PROFILER_JFR), ctx))
                .isInstanceOf(UnusableInputException.class).hasMessageStartingWith(junk + ": not a readable JFR recording");
    }
}
