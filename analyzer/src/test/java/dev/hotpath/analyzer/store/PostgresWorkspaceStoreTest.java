package dev.hotpath.analyzer.store;

import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The store contract against a real PostgreSQL server (a throwaway cluster, a fresh database per test). */
class PostgresWorkspaceStoreTest extends WorkspaceStoreContract {
    static PostgresCluster cluster;

    @BeforeAll
    static void startServer() throws Exception {
        cluster = PostgresCluster.shared();
    }

    @Override
    String newLocation() throws SQLException {
        return cluster.newDatabase();
    }

    @Override
    Connection raw(String location) throws SQLException {
        return DriverManager.getConnection(location);
    }
}
