package dev.hotpath.analyzer.store;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is particular to PostgreSQL workspaces: connection failures and the URL shown in messages. */
class PostgresWorkspaceTest {
    static PostgresCluster cluster;

    @BeforeAll
    static void startServer() throws Exception {
        cluster = PostgresCluster.shared();
    }

    @Test
    void anUnreachableServerIsOneLineNamingTheUrlWithoutThePassword() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/hotpath?user=hotpath&password=secret";
        assertThatThrownBy(() -> WorkspaceStore.open(url)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("workspace jdbc:postgresql://127.0.0.1:" + closed
                        + "/hotpath?user=hotpath&password=***: cannot connect: Connection to 127.0.0.1:" + closed
                        + " refused")
                .hasMessageNotContaining("secret")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMissingDatabaseIsNamed() {
        String url = cluster.url("no_such_db");
        assertThatThrownBy(() -> WorkspaceStore.open(url)).isInstanceOf(StoreException.class)
                .hasMessage("workspace " + url + ": cannot connect: FATAL: database \"no_such_db\" does not exist");
    }

    @Test
    void locationHidesThePassword() throws Exception {
        String url = cluster.newDatabase() + "&password=secret";
        try (WorkspaceStore store = WorkspaceStore.open(url)) {
            assertThat(store.location()).isEqualTo(url.replace("password=secret", "password=***"));
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void connectionsAreReusedAndTerminatedOnesAreReplacedWithoutFailingACall() throws Exception {
        String url = cluster.newDatabase() + "&ApplicationName=pooltest";
        try (WorkspaceStore store = WorkspaceStore.open(url)) {
            String id = store.save(TestRuns.sample("pooled", TestRuns.BASE));
            int pooled = backends(-1);
            assertThat(pooled).isBetween(1, ConnectionPool.MAX_IDLE);
            for (int i = 0; i < 10; i++) {
                assertThat(store.list()).extracting(RunInfo::id).containsExactly(id);
            }
            assertThat(backends(-1)).as("connections after 10 more calls").isEqualTo(pooled);
            try (Connection c = DriverManager.getConnection(cluster.url("postgres"));
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                         + "WHERE application_name = 'pooltest'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(pooled);
            }
            assertThat(store.load(id)).contains(TestRuns.sample("pooled", TestRuns.BASE).withId(id));
            assertThat(store.list()).extracting(RunInfo::id).containsExactly(id);
        }
        assertThat(backends(0)).as("connections after close").isZero();
    }

    /** Server processes serving the pool test's store; waits up to 5 s for {@code expected} (-1: just count). */
    private static int backends(int expected) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = DriverManager.getConnection(cluster.url("postgres"));
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pooltest'")) {
                rs.next();
                int n = rs.getInt(1);
                // The server notices a closed connection asynchronously.
                if (expected < 0 || n == expected || attempt == 50) {
                    return n;
                }
            }
            Thread.sleep(100);
        }
    }

    @Test
    void twoStoresOnOneDatabaseSeeEachOthersRuns() throws Exception {
        String url = cluster.newDatabase();
        try (WorkspaceStore a = WorkspaceStore.open(url); WorkspaceStore b = WorkspaceStore.open(url)) {
            String id = a.save(TestRuns.sample("team", TestRuns.BASE));
            assertThat(b.load("team")).contains(TestRuns.sample("team", TestRuns.BASE).withId(id));
        }
    }
}
