package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.NestedLeak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine keeps record offsets, shallow sizes, the graph, the DFS order, the predecessor lists and the idoms in
 * index files under the work dir. With 16-byte blocks (every structure spans thousands of blocks, and the 256-slot
 * cache evicts constantly) and the predecessor lists filled in chunks of at most 1000 (hundreds of passes over the
 * graph's file, rows cut anywhere) a real dump must give the very report of 8 KiB blocks and one chunk; the index files live in the
 * work dir only while the analysis is open, and nothing is ever written beside the dump.
 */
class SpilledIndexTest {
    private static final String PROP = "hotpath.heap.spillBlock";
    private static final String CHUNK = "hotpath.heap.predChunk";

    @TempDir
    Path dir;

    @Test
    void tinyBlocksAndPredecessorChunksGiveTheSameReportAndIndexFilesStayInTheWorkDir() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path dump = dumps.resolve("nested.hprof");
        try (JvmFixture jvm = JvmFixture.start(NestedLeak.class)) {
            jvm.dump(dump, false);
        }
        Path work = dir.resolve("work");
        HeapReport normal = analyzeWith(8192, Long.MAX_VALUE, dump, work);
        HeapReport tiny = analyzeWith(16, 1000, dump, work);
        assertThat(tiny.objects()).isEqualTo(normal.objects()).isGreaterThan(10_000);
        assertThat(tiny.reachableBytes()).isEqualTo(normal.reachableBytes());
        assertThat(tiny.histogram()).isEqualTo(normal.histogram());
        assertThat(tiny.dominators()).isEqualTo(normal.dominators()).isNotEmpty();
        assertThat(tiny.suspects()).isEqualTo(normal.suspects()).isNotEmpty();
        assertThat(tiny.waste()).isEqualTo(normal.waste());
        assertThat(tiny).isEqualTo(normal);

        // while open, the index files are in one directory under the work dir; after close nothing is left
        try (HeapAnalysis a = HeapAnalysis.open(dump, work)) {
            try (var entries = Files.list(work)) {
                List<Path> made = entries.toList();
                assertThat(made).hasSize(1);
                assertThat(made.get(0).getFileName().toString()).startsWith("hotpath-heap-index-");
                // the files are unlinked as soon as they are opened (nothing is left even if the process is killed):
                // the directory looks empty, the open descriptors show them. What the reports read stays open; the
                // dominator step's scratch files (DFS parents, classes) are closed when done
                try (var files = Files.list(made.get(0))) {
                    assertThat(files.toList()).isEmpty();
                }
                assertThat(openFilesUnder(made.get(0)))
                        .containsExactly("0-offsets.idx", "1-shallow.idx", "10-idom.idx", "3-dfs-vertex.idx", "5-edge-start.idx",
                                "6-edges.idx", "7-preds.idx", "8-dfnum.idx", "9-pred-start.idx");
            }
            assertThat(a.dominators().reachableCount()).isGreaterThan(10_000);
        }
        try (var entries = Files.list(work)) {
            assertThat(entries.toList()).isEmpty();
        }
        try (var entries = Files.list(dumps)) {
            assertThat(entries.toList()).containsExactly(dump);
        }
    }

    /** Names of the (deleted) files this process holds open under dir, from /proc/self/fd. */
    static List<String> openFilesUnder(Path dir) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(dir + "/")) {
                        names.add(target.substring(dir.toString().length() + 1).replace(" (deleted)", ""));
                    }
                } catch (java.io.IOException e) {
                    // the descriptor of the listing itself, closed meanwhile
                }
            }
        }
        return names.stream().sorted().toList();
    }

    private static HeapReport analyzeWith(int blockBytes, long predChunk, Path dump, Path work) throws Exception {
        String old = System.getProperty(PROP);
        System.setProperty(PROP, Integer.toString(blockBytes));
        System.setProperty(CHUNK, Long.toString(predChunk));
        try {
            return new HeapEngine().top(20).workDir(work).analyze(dump);
        } finally {
            System.clearProperty(CHUNK);
            if (old == null) {
                System.clearProperty(PROP);
            } else {
                System.setProperty(PROP, old);
            }
        }
    }
}
