package dev.hotpath.analyzer.store;

import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A team workspace in PostgreSQL ({@code jdbc:postgresql://host:port/db?user=...}); the tables live in the
 * connection's current schema. Flyway serialises concurrent migrations with an advisory lock. Connections are
 * reused through a small {@link ConnectionPool}; {@link #close()} releases them. The driver is used
 * directly rather than through {@code DriverManager}, so a shaded jar works without merged service files.
 */
final class PostgresDatabase implements Database {
    private static final String LIST_TABLES =
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
    private static final Driver DRIVER = new Driver();

    private final String url;
    private final String location;
    private final Properties properties = new Properties();
    private final ConnectionPool pool = new ConnectionPool(this::connect);

    private PostgresDatabase(String url) {
        this.url = url;
        this.location = url.replaceAll("(?i)(password=)[^&;]*", "$1***");
        // Defaults only: parameters in the URL win over these.
        properties.setProperty("ApplicationName", "hotpath");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "20");
        properties.setProperty("reWriteBatchedInserts", "true");
    }

    static PostgresDatabase open(String url) throws StoreException {
        PostgresDatabase database = new PostgresDatabase(url);
        try (Connection c = database.forRead()) {
            c.isValid(5);
        } catch (SQLException e) {
            database.close();
            throw new StoreException("workspace " + database.location + ": cannot connect: " + Failures.oneLine(e), e);
        }
        try {
            SchemaMigrator.migrate(database, "postgresql", LIST_TABLES);
        } catch (StoreException | RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    @Override
    public Connection forWrite() throws SQLException {
        return pool.borrow();
    }

    @Override
    public Connection forRead() throws SQLException {
        return pool.borrow();
    }

    @Override
    public void close() {
        pool.close();
    }

    private Connection connect() throws SQLException {
        Connection c = DRIVER.connect(url, properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL");
        }
        return c;
    }

    @Override
    public String location() {
        return location;
    }
}
