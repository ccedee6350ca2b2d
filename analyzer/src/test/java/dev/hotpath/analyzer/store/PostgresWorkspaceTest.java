package dev.hotpath.analyzer.store;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

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
    void twoStoresOnOneDatabaseSeeEachOthersRuns() throws Exception {
        String url = cluster.newDatabase();
        try (WorkspaceStore a = WorkspaceStore.open(url); WorkspaceStore b = WorkspaceStore.open(url)) {
            String id = a.save(TestRuns.sample("team", TestRuns.BASE));
            assertThat(b.load("team")).contains(TestRuns.sample("team", TestRuns.BASE).withId(id));
        }
    }
}
