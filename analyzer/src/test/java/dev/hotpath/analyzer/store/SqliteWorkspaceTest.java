package dev.hotpath.analyzer.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is particular to SQLite workspaces: the directory, the file, WAL, bad locations, two writing processes. */
class SqliteWorkspaceTest {
    @TempDir
    Path scratch;

    @Test
    void directoryIsCreatedWithTheDatabaseInWalMode() throws Exception {
        Path dir = scratch.resolve("a/b/workspace");
        try (WorkspaceStore store = WorkspaceStore.open(dir.toString())) {
            assertThat(store.location()).isEqualTo(dir.toString());
            store.save(TestRuns.sample("r", TestRuns.BASE));
        }
        assertThat(dir.resolve("hotpath.db")).isRegularFile();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hotpath.db"));
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("1");
                assertThat(rs.getBoolean(2)).isTrue();
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void relativeLocationIsMadeAbsolute() throws Exception {
        Path dir = scratch.resolve("rel");
        String relative = Path.of("").toAbsolutePath().relativize(dir).toString();
        try (WorkspaceStore store = WorkspaceStore.open(relative)) {
            assertThat(store.location()).isEqualTo(dir.toString());
        }
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsRefusedAndKept() throws Exception {
        Path file = scratch.resolve("notes.txt");
        Files.writeString(file, "precious");
        assertThatThrownBy(() -> WorkspaceStore.open(file.toString())).isInstanceOf(StoreException.class)
                .hasMessage("workspace " + file + ": is a file, not a directory");
        assertThat(file).hasContent("precious");
    }

    @Test
    void aLocationUnderAFileCannotBeCreated() throws Exception {
        Path file = scratch.resolve("notes.txt");
        Files.writeString(file, "precious");
        Path dir = file.resolve("workspace");
        assertThatThrownBy(() -> WorkspaceStore.open(dir.toString())).isInstanceOf(StoreException.class)
                .hasMessage("workspace " + dir + ": cannot create the directory (Not a directory)");
        assertThat(file).hasContent("precious");
    }

    @Test
    void anUnwritableLocationIsRefusedInOneLine() {
        // Nobody, root included, may create a directory in sysfs; a chmod'ed directory would not stop root.
        String dir = "/sys/hotpath-workspace-test";
        assertThatThrownBy(() -> WorkspaceStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageMatching("workspace " + dir + ": cannot create the directory \\((Operation not permitted"
                        + "|Permission denied|Read-only file system|permission denied)\\)");
        assertThat(Path.of(dir)).doesNotExist();
    }

    @Test
    void garbageInTheDatabaseFileIsRefusedAndNotTouched() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("ws"));
        byte[] garbage = new byte[8192];
        new Random(42).nextBytes(garbage);
        Path db = dir.resolve("hotpath.db");
        Files.write(db, garbage);
        assertThatThrownBy(() -> WorkspaceStore.open(dir.toString())).isInstanceOf(StoreException.class)
                .hasMessage("workspace " + dir + ": hotpath.db is not a SQLite database (it starts with 0x"
                        + HexFormat.of().withUpperCase().formatHex(garbage, 0, 8) + ")");
        assertThat(Files.readAllBytes(db)).isEqualTo(garbage);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(db);
        }
    }

    @Test
    void aCorruptSqliteFileIsRefusedAndNotTouched() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("ws"));
        byte[] corrupt = new byte[8192];
        new Random(7).nextBytes(corrupt);
        byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, corrupt, 0, magic.length);
        Path db = dir.resolve("hotpath.db");
        Files.write(db, corrupt);
        assertThatThrownBy(() -> WorkspaceStore.open(dir.toString())).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("workspace " + dir + ": cannot open hotpath.db: [SQLITE_")
                .hasMessageNotContaining("\n");
        assertThat(Files.readAllBytes(db)).isEqualTo(corrupt);
    }

    @Test
    void anUnsupportedJdbcUrlIsRefusedWithoutItsPassword() {
        assertThatThrownBy(() -> WorkspaceStore.open("jdbc:mysql://db/hotpath?user=u&password=secret"))
                .isInstanceOf(StoreException.class)
                .hasMessage("workspace jdbc:mysql://db/hotpath?user=u&password=***: unsupported JDBC URL (hotpath "
                        + "keeps runs in a directory or in jdbc:postgresql://...)");
    }

    @Test
    void twoProcessesSavingIntoOneFreshWorkspaceAtOnceBothSucceed() throws Exception {
        String location = scratch.resolve("shared").toString();
        int runsEach = 4;
        int findings = 1500;
        int rows = 3000;
        try (WriterProcess a = WriterProcess.start(scratch, "count", location, "alpha", String.valueOf(runsEach),
                String.valueOf(findings), String.valueOf(rows));
             WriterProcess b = WriterProcess.start(scratch, "count", location, "beta", String.valueOf(runsEach),
                     String.valueOf(findings), String.valueOf(rows))) {
            // Both opened (and raced to create the schema) before either writes; then they write at once.
            assertThat(a.next(120)).isEqualTo("ready");
            assertThat(b.next(120)).isEqualTo("ready");
            a.send("go");
            b.send("go");
            assertThat(a.waitFor(180)).as("alpha exit code; stderr: %s", a.stderr()).isZero();
            assertThat(b.waitFor(180)).as("beta exit code; stderr: %s", b.stderr()).isZero();
            List<String> savedA = saved(a.rest());
            List<String> savedB = saved(b.rest());
            assertThat(savedA).hasSize(runsEach);
            assertThat(savedB).hasSize(runsEach);
            assertThat(a.stderr()).isEmpty();
            assertThat(b.stderr()).isEmpty();
        }
        try (WorkspaceStore store = WorkspaceStore.open(location)) {
            Set<String> names = new TreeSet<>();
            for (RunInfo info : store.list()) {
                names.add(info.name());
                String prefix = info.name().substring(0, info.name().indexOf('-'));
                assertThat(store.load(info.id()).orElseThrow()).isEqualTo(
                        TestRuns.big(prefix, TestRuns.indexOf(info.name()), findings, rows).withId(info.id()));
            }
            assertThat(names).containsExactly("alpha-0", "alpha-1", "alpha-2", "alpha-3",
                    "beta-0", "beta-1", "beta-2", "beta-3");
        }
    }

    private static List<String> saved(List<String> lines) {
        List<String> saved = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("saved ")) {
                saved.add(line.split(" ")[1]);
            }
        }
        return saved;
    }
}
