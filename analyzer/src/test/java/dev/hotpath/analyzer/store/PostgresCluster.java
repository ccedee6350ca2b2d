package dev.hotpath.analyzer.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests, one per test JVM: {@code initdb} into a temp directory, {@code pg_ctl start}
 * on a free port bound to 127.0.0.1, stopped ({@code -m fast}) and deleted at JVM exit. Uses the newest
 * {@code /usr/lib/postgresql/*}/bin (Debian's postgresql; {@code ./test} installs it). PostgreSQL refuses to run as
 * root, so as root the server runs as the {@code postgres} user via {@code runuser}, in a directory it owns.
 * Each test gets its own schema from {@link #newDatabase()}.
 */
final class PostgresCluster implements AutoCloseable {
    static final String USER = "hotpath";
    private static PostgresCluster shared;

    private final Path bin;
    private final Path dir;
    private final List<String> asServerUser;
    private final AtomicInteger databases = new AtomicInteger();
    private int port;
    private boolean running;

    private PostgresCluster(Path bin, Path dir, List<String> asServerUser) {
        this.bin = bin;
        this.dir = dir;
        this.asServerUser = asServerUser;
    }

    /** The JVM's cluster, started on first use. */
    static synchronized PostgresCluster shared() throws Exception {
        if (shared == null) {
            PostgresCluster cluster = start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-stop"));
            shared = cluster;
        }
        return shared;
    }

    private static PostgresCluster start() throws Exception {
        Path bin = newestBin();
        Path dir = Files.createTempDirectory("hotpath-pg-");
        List<String> prefix = new ArrayList<>();
        if (isRoot()) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
            prefix.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        PostgresCluster cluster = new PostgresCluster(bin, dir, prefix);
        try {
            cluster.run(60, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                    "-U", USER, "-E", "UTF8", "--locale=C", "--no-sync");
            cluster.startServer();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static Path newestBin() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .orElseThrow(() -> new IllegalStateException("no /usr/lib/postgresql/*/bin/initdb: install "
                            + "Debian's postgresql (./test does)"));
        }
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    /** A free port can be taken between our probe and the server's bind; try a few. */
    private void startServer() throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            try {
                run(90, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                        "-l", dir.resolve("server.log").toString(),
                        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                        "-w", "-t", "60", "start");
                running = true;
                return;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * A new empty workspace on this server, as a JDBC URL for {@code WorkspaceStore.open}: a fresh schema of one
     * shared database (much cheaper than CREATE DATABASE, which copies a template), selected with
     * {@code currentSchema} as a team would select theirs.
     */
    synchronized String newDatabase() throws SQLException {
        if (databases.get() == 0) {
            try (Connection c = DriverManager.getConnection(url("postgres"));
                 Statement s = c.createStatement()) {
                s.executeUpdate("CREATE DATABASE workspaces");
            }
        }
        String schema = "ws_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("workspaces"));
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE SCHEMA " + schema);
        }
        return url("workspaces") + "&currentSchema=" + schema;
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    int port() {
        return port;
    }

    private void run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(asServerUser);
        full.addAll(List.of(command));
        Path out = Files.createTempFile("hotpath-pg-cmd", ".out");
        try {
            Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in " + timeoutSeconds + " s: "
                        + Files.readString(out));
            }
            if (p.exitValue() != 0) {
                String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
                throw new IllegalStateException(String.join(" ", full) + " exited " + p.exitValue() + ": "
                        + Files.readString(out) + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (running) {
                running = false;
                run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                        "stop");
            }
        } catch (Exception e) {
            System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: a leftover temp file is harmless, a failing shutdown hook is not.
                }
            });
        } catch (IOException ignored) {
            // Same as above.
        }
    }
}
