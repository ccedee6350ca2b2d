package dev.hotpath.analyzer.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on SQLite workspaces (a directory each). */
class SqliteWorkspaceStoreTest extends WorkspaceStoreContract {
    private final AtomicInteger counter = new AtomicInteger();

    @Override
    String newLocation() {
        return scratch.resolve("ws-" + counter.incrementAndGet()).toString();
    }

    @Override
    Connection raw(String location) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + Path.of(location).resolve(SqliteDatabase.DB_FILE));
    }

    @Override
    void prepareEmpty(String location) throws Exception {
        Files.createDirectories(Path.of(location));
    }

    @Override
    void assertDatabaseIntact(String location) throws Exception {
        try (Connection c = raw(location); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }
}
