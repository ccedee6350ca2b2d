package dev.hotpath.analyzer.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One workspace database, already checked and migrated. Hands out a connection per operation (SQLite: a new one,
 * cheap for an embedded file; PostgreSQL: from a small pool), so a store is safe to share between threads (the web
 * UI's handlers) and a PostgreSQL connection that dropped is replaced.
 */
interface Database extends AutoCloseable {

    /** A connection for one write transaction; on SQLite its transaction takes the write lock at BEGIN. */
    Connection forWrite() throws SQLException;

    /** A connection for one consistent read. */
    Connection forRead() throws SQLException;

    /** Directory or password-free URL, for messages. */
    String location();

    /** Releases connections kept for reuse; the database itself stays as it is. */
    @Override
    default void close() {
    }
}
