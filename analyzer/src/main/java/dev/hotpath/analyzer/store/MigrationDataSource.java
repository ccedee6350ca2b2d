package dev.hotpath.analyzer.store;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/** Lets Flyway take its connections from a {@link Database}, with the same settings hotpath's own writes use. */
final class MigrationDataSource implements DataSource {
    private final Database database;

    MigrationDataSource(Database database) {
        this.database = database;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return database.forWrite();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return database.forWrite();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no JUL logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
