package dev.hotpath.analyzer.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One workspace database, already checked and migrated. Hands out a fresh connection per operation, so a store is
 * safe to share between threads (the web UI's handlers) and a PostgreSQL connection that dropped is simply replaced.
 */
interface Database {

    /** A connection for one write transaction; on SQLite its transaction takes the write lock at BEGIN. */
    Connection forWrite() throws SQLException;

    /** A connection for one consistent read. */
    Connection forRead() throws SQLException;

    /** Directory or password-free URL, for messages. */
    String location();
}
