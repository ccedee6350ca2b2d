package dev.hotpath.analyzer.store;

import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every workspace store does, run against SQLite and against a real PostgreSQL server by the subclasses.
 */
abstract class WorkspaceStoreContract {
    /** Big enough that a save takes a while (the kill lands inside it), small enough to keep the test short. */
    static final int BIG_FINDINGS = 3000;
    static final int BIG_SUMMARY_ROWS = 15000;

    @TempDir
    Path scratch;

    /** A fresh, empty workspace location. */
    abstract String newLocation() throws Exception;

    /** A plain JDBC connection to the workspace's database, bypassing the store. */
    abstract Connection raw(String location) throws SQLException;

    /** Extra checks of the database file after a writer was killed (SQLite: integrity_check). */
    void assertDatabaseIntact(String location) throws Exception {
    }

    @Test
    void savedRunLoadsBackEqualWithEvidenceKeyOrderAndFindingOrder() throws Exception {
        String location = newLocation();
        Run run = TestRuns.sample("nightly", TestRuns.BASE);
        String id;
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            id = store.save(run);
        }
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            Run loaded = store.load(id).orElseThrow();
            assertThat(loaded).isEqualTo(run.withId(id));
            assertThat(loaded.findings()).extracting(Finding::id)
                    .containsExactly("gc.long-pauses", "io.small-writes", "config.heap-size", "io.fsync-per-write");
            assertThat(new ArrayList<>(loaded.findings().get(0).evidence().keySet())).containsExactly(
                    "p99PauseMs", "pauseCount", "longestPauseAt", "collector", "aboveThreshold", "pausesMs", "heap",
                    "absent");
            assertThat(new ArrayList<>(loaded.findings().get(1).evidence().keySet()))
                    .containsExactly("zeta", "alpha", "mid", "sharePercent");
            assertThat(loaded.findings().get(0).evidence().get("heap")).isEqualTo(
                    Map.of("zone", "old", "bytes", 9_007_199_254_740_993L));
            assertThat(loaded.createdAt()).isEqualTo(TestRuns.BASE);
            assertThat(loaded.notes()).containsExactly("recording.jfr truncated at byte 1200000",
                    "gc.log: 3 lines skipped");
            assertThat(loaded.artifacts().get(1).sha256()).isNull();
        }
    }

    @Test
    void numbersComeBackAsLongAndDoubleAndTimesAsText() throws Exception {
        Finding f = Finding.builder("x.y", Category.CPU)
                .evidence("int", 7).evidence("float", 1.5f).evidence("short", (short) 3)
                .evidence("instant", TestRuns.BASE).evidence("path", Path.of("/tmp/a.jfr")).build();
        try (WorkspaceStore store = WorkspaceStore.open(newLocation())) {
            String id = store.save(new Run(null, "n", TestRuns.BASE, List.of(), List.of(f), Map.of(), List.of()));
            Map<String, Object> evidence = store.load(id).orElseThrow().findings().get(0).evidence();
            assertThat(evidence).containsExactly(Map.entry("int", 7L), Map.entry("float", 1.5),
                    Map.entry("short", 3L), Map.entry("instant", "2026-11-25T10:00:00.123456789Z"),
                    Map.entry("path", "/tmp/a.jfr"));
        }
    }

    @Test
    void nulCharactersReadBackTheSameFromEitherDialect() throws Exception {
        Finding f = Finding.builder("heap.odd\0name", Category.HEAP)
                .title("class a\0b").evidence("raw", "x\0y").build();
        try (WorkspaceStore store = WorkspaceStore.open(newLocation())) {
            String id = store.save(new Run(null, "nul\0run", TestRuns.BASE, List.of(), List.of(f),
                    Map.of("k", "v\0w"), List.of("n\0")));
            Run loaded = store.load(id).orElseThrow();
            assertThat(loaded.name()).isEqualTo("nul\uFFFDrun");
            assertThat(loaded.findings().get(0).id()).isEqualTo("heap.odd\uFFFDname");
            assertThat(loaded.findings().get(0).title()).isEqualTo("class a\uFFFDb");
            // JSON keeps it exactly.
            assertThat(loaded.findings().get(0).evidence()).containsExactly(Map.entry("raw", "x\0y"));
            assertThat(loaded.summaries()).isEqualTo(Map.of("k", "v\0w"));
            assertThat(loaded.notes()).containsExactly("n\0");
        }
    }

    @Test
    void listIsNewestFirstWithCountsBySeverityAndArtifactCounts() throws Exception {
        try (WorkspaceStore store = WorkspaceStore.open(newLocation())) {
            assertThat(store.list()).isEmpty();
            String older = store.save(TestRuns.sample("a", TestRuns.BASE));
            String newest = store.save(TestRuns.sample("b", TestRuns.BASE.plusNanos(1)));
            String oldest = store.save(new Run(null, "c", TestRuns.BASE.minusSeconds(3600), List.of(), List.of(),
                    Map.of(), List.of()));
            List<RunInfo> runs = store.list();
            assertThat(runs).extracting(RunInfo::id).containsExactly(newest, older, oldest);
            assertThat(runs).extracting(RunInfo::name).containsExactly("b", "a", "c");
            RunInfo b = runs.get(0);
            assertThat(b.createdAt()).isEqualTo(TestRuns.BASE.plusNanos(1));
            assertThat(b.artifacts()).isEqualTo(2);
            assertThat(b.counts()).isEqualTo(Map.of(Severity.CRITICAL, 1, Severity.WARNING, 2, Severity.INFO, 1));
            assertThat(b.worst()).isEqualTo(Severity.CRITICAL);
            RunInfo c = runs.get(2);
            assertThat(c.artifacts()).isZero();
            assertThat(c.counts()).isEqualTo(Map.of(Severity.CRITICAL, 0, Severity.WARNING, 0, Severity.INFO, 0));
            assertThat(c.worst()).isNull();
        }
    }

    @Test
    void loadByNameReturnsTheNewestRunOfThatName() throws Exception {
        try (WorkspaceStore store = WorkspaceStore.open(newLocation())) {
            store.save(TestRuns.sample("nightly", TestRuns.BASE));
            String newest = store.save(TestRuns.sample("nightly", TestRuns.BASE.plusSeconds(60)));
            store.save(TestRuns.sample("nightly", TestRuns.BASE.minusSeconds(60)));
            store.save(TestRuns.sample("other", TestRuns.BASE.plusSeconds(120)));
            assertThat(store.load("nightly").orElseThrow().id()).isEqualTo(newest);
            assertThat(store.load("nightly").orElseThrow().createdAt()).isEqualTo(TestRuns.BASE.plusSeconds(60));
            assertThat(store.load("missing")).isEmpty();
        }
    }

    @Test
    void summaryByKindIsTheSavedJsonValue() throws Exception {
        try (WorkspaceStore store = WorkspaceStore.open(newLocation())) {
            String id = store.save(TestRuns.sample("s", TestRuns.BASE));
            assertThat(store.summary(id, "gc.pauses")).contains(
                    TestRuns.sample("s", TestRuns.BASE).summaries().get("gc.pauses"));
            assertThat(store.summary(id, "io.sites")).contains(List.of("a", "b"));
            assertThat(store.summary(id, "scalar")).contains(42L);
            assertThat(store.summary(id, "nope")).isEmpty();
            assertThat(store.summary("01NOSUCHRUN00000000000000", "gc.pauses")).isEmpty();
        }
    }

    @Test
    void idsAreUniqueTimeOrderedUlids() throws Exception {
        try (WorkspaceStore store = WorkspaceStore.open(newLocation())) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(store.save(new Run(null, "r", TestRuns.BASE, List.of(), List.of(), Map.of(), List.of())));
            }
            assertThat(ids).doesNotHaveDuplicates().isSorted()
                    .allMatch(id -> id.matches("[0-9A-HJKMNP-TV-Z]{26}"));
            // Same createdAt: insertion order breaks the tie, newest first.
            List<String> newestFirst = new ArrayList<>(ids);
            Collections.reverse(newestFirst);
            assertThat(store.list()).extracting(RunInfo::id).containsExactlyElementsOf(newestFirst);
        }
    }

    @Test
    void oneStoreSharedByThreadsSavingAtOnceKeepsEveryRun() throws Exception {
        try (WorkspaceStore store = WorkspaceStore.open(newLocation())) {
            int threads = 3;
            int each = 3;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String prefix = "t" + t;
                    futures.add(pool.submit(() -> {
                        List<String> ids = new ArrayList<>();
                        for (int k = 0; k < each; k++) {
                            ids.add(store.save(TestRuns.big(prefix, k, 20, 20)));
                        }
                        return ids;
                    }));
                }
                Set<String> ids = new TreeSet<>();
                for (Future<List<String>> f : futures) {
                    ids.addAll(f.get(120, TimeUnit.SECONDS));
                }
                assertThat(ids).hasSize(threads * each);
                List<RunInfo> listed = store.list();
                assertThat(listed).extracting(RunInfo::id).containsExactlyInAnyOrderElementsOf(ids);
                for (RunInfo info : listed) {
                    String prefix = info.name().substring(0, info.name().indexOf('-'));
                    assertThat(store.load(info.id())).contains(
                            TestRuns.big(prefix, TestRuns.indexOf(info.name()), 20, 20).withId(info.id()));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void savingUnderAnExistingIdFailsAndKeepsTheStoredRun() throws Exception {
        String location = newLocation();
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            Run first = TestRuns.sample("first", TestRuns.BASE);
            String id = store.save(first);
            Run clash = TestRuns.big("clash", 1, 10, 10).withId(id);
            assertThatThrownBy(() -> store.save(clash)).isInstanceOf(StoreException.class)
                    .hasMessage("workspace " + store.location() + ": cannot save run 'clash-1': a run with id " + id
                            + " is already stored");
            assertThat(store.list()).extracting(RunInfo::name).containsExactly("first");
            assertThat(store.load(id)).contains(first.withId(id));
        }
        assertThat(rowCount(location, "findings")).isEqualTo(4);
        assertThat(rowCount(location, "artifacts")).isEqualTo(2);
    }

    @Test
    void schemaFromANewerHotpathIsRefusedAndLeftAlone() throws Exception {
        assertNewerSchemaRefused("999");
    }

    @Test
    void schemaFromANewerHotpathWithADottedVersionIsRefusedByFlyway() throws Exception {
        // Not a plain integer, so the store's fast path hands over to Flyway, which must refuse just the same.
        assertNewerSchemaRefused("1.5");
    }

    private void assertNewerSchemaRefused(String version) throws Exception {
        String location = newLocation();
        String id;
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            id = store.save(TestRuns.sample("kept", TestRuns.BASE));
        }
        try (Connection c = raw(location); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                        + "installed_by, execution_time, success) VALUES (2, ?, 'from the future', 'SQL', "
                        + "'V999__from_the_future.sql', 0, 'test', 1, ?)")) {
            ps.setString(1, version);
            ps.setBoolean(2, true);
            ps.executeUpdate();
        }
        String shown = location.replace("password=secret", "password=***");
        assertThatThrownBy(() -> WorkspaceStore.open(location)).isInstanceOf(StoreException.class)
                .hasMessage("workspace " + shown + ": schema version " + version + " was written by a newer hotpath "
                        + "(this one knows up to version 1); use a newer hotpath or another workspace");
        try (Connection c = raw(location); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name FROM runs")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(id);
            assertThat(rs.getString(2)).isEqualTo("kept");
            assertThat(rs.next()).isFalse();
        }
        assertThat(rowCount(location, "flyway_schema_history")).isEqualTo(2);
        assertThat(rowCount(location, "findings")).isEqualTo(4);
    }

    @Test
    void databaseHoldingOtherTablesIsRefusedAndLeftAlone() throws Exception {
        String location = newLocation();
        prepareEmpty(location);
        try (Connection c = raw(location); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)");
            s.executeUpdate("INSERT INTO invoices VALUES (1, 100)");
        }
        String shown = location.replace("password=secret", "password=***");
        assertThatThrownBy(() -> WorkspaceStore.open(location)).isInstanceOf(StoreException.class)
                .hasMessage("workspace " + shown + ": holds tables that hotpath did not make (invoices); point "
                        + "--workspace at an empty directory or database");
        assertThat(rowCount(location, "invoices")).isEqualTo(1);
    }

    /** Makes the database exist without any schema (SQLite: the directory and file; PostgreSQL: nothing to do). */
    void prepareEmpty(String location) throws Exception {
    }

    @Test
    void sigkillMidSaveKeepsEveryEarlierRunIntactAndNoHalfRunVisible() throws Exception {
        String location = newLocation();
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            store.save(TestRuns.sample("before", TestRuns.BASE.minusSeconds(10)));
        }
        Set<Integer> saved = new TreeSet<>();
        Set<Integer> interrupted = new TreeSet<>();
        int next = 0;
        // A kill can land between two saves; try again (on the same, killed workspace) until one lands inside one.
        for (int round = 0; round < 4 && interrupted.isEmpty(); round++) {
            Integer inFlight = null;
            try (WriterProcess writer = WriterProcess.start(scratch, "loop", location, "big", String.valueOf(next),
                    String.valueOf(BIG_FINDINGS), String.valueOf(BIG_SUMMARY_ROWS))) {
                long lastSaveMillis = 0;
                int savedThisRound = 0;
                while (true) {
                    String[] event = writer.next(120).split(" ");
                    int k = Integer.parseInt(event[1]);
                    next = Math.max(next, k + 1);
                    if (event[0].equals("saved")) {
                        saved.add(k);
                        savedThisRound++;
                        lastSaveMillis = Long.parseLong(event[3]);
                        inFlight = null;
                    } else if (event[0].equals("saving")) {
                        inFlight = k;
                        if (savedThisRound >= 2) {
                            Thread.sleep(Math.max(1, lastSaveMillis / 2));
                            writer.kill();
                            break;
                        }
                    }
                }
                for (String line : writer.rest()) {
                    String[] event = line.split(" ");
                    if (event[0].equals("saved")) {
                        saved.add(Integer.parseInt(event[1]));
                        inFlight = null;
                    }
                }
            }
            if (inFlight != null) {
                interrupted.add(inFlight);
            }
            verifyWorkspace(location, saved, interrupted);
        }
        assertThat(interrupted).as("a kill that landed inside a save").isNotEmpty();
        assertDatabaseIntact(location);
        // The killed workspace still takes new runs.
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            String id = store.save(TestRuns.sample("after", TestRuns.BASE.plusSeconds(100_000)));
            assertThat(store.list().get(0).id()).isEqualTo(id);
        }
    }

    /** Every listed run is exactly what was written; runs the writer confirmed are all there; nothing else is. */
    private void verifyWorkspace(String location, Set<Integer> saved, Set<Integer> interrupted) throws Exception {
        long findings = 4;
        long artifacts = 2;
        long summaries = 3;
        Set<Integer> listed = new TreeSet<>();
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            for (RunInfo info : store.list()) {
                if (info.name().equals("before")) {
                    assertThat(store.load(info.id()).orElseThrow())
                            .isEqualTo(TestRuns.sample("before", TestRuns.BASE.minusSeconds(10)).withId(info.id()));
                    continue;
                }
                int k = TestRuns.indexOf(info.name());
                listed.add(k);
                Run expected = TestRuns.big("big", k, BIG_FINDINGS, BIG_SUMMARY_ROWS).withId(info.id());
                assertThat(store.load(info.id()).orElseThrow()).isEqualTo(expected);
                assertThat(info.artifacts()).isEqualTo(20);
                assertThat(info.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(BIG_FINDINGS);
                findings += BIG_FINDINGS;
                artifacts += 20;
                summaries += 2;
            }
        }
        assertThat(listed).containsAll(saved);
        Set<Integer> allowed = new TreeSet<>(saved);
        // A run whose commit reached the disk just before the kill, before the writer could print "saved".
        allowed.addAll(interrupted);
        assertThat(allowed).containsAll(listed);
        assertThat(rowCount(location, "findings")).isEqualTo(findings);
        assertThat(rowCount(location, "artifacts")).isEqualTo(artifacts);
        assertThat(rowCount(location, "summaries")).isEqualTo(summaries);
    }

    long rowCount(String location, String table) throws SQLException {
        try (Connection c = raw(location); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
