package dev.hotpath.analyzer.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a workspace's schema to this hotpath's version with Flyway (which drives SQLite from flyway-core and
 * PostgreSQL through flyway-database-postgresql). Each versioned script under {@code db/migration/<dialect>/} runs
 * in its own transaction, recorded in {@code flyway_schema_history}.
 *
 * <p>Refuses, without changing anything: a schema written by a newer hotpath (Flyway on its own would silently
 * ignore the "future" migrations and let this version write rows the newer schema does not expect), and a database
 * that already holds someone else's tables.
 */
final class SchemaMigrator {
    static final String HISTORY_TABLE = "flyway_schema_history";

    private SchemaMigrator() {
    }

    /**
     * @param dialectDir    {@code sqlite} or {@code postgresql}
     * @param listTablesSql a query whose first column names the tables of the workspace's schema
     */
    static void migrate(Database database, String dialectDir, String listTablesSql) throws StoreException {
        String location = database.location();
        try {
            Flyway flyway = Flyway.configure(SchemaMigrator.class.getClassLoader())
                    .loggers(QuietFlywayLog.class.getName())
                    .dataSource(new MigrationDataSource(database))
                    .locations("classpath:db/migration/" + dialectDir)
                    .failOnMissingLocations(true)
                    .table(HISTORY_TABLE)
                    .load();
            MigrationInfoService info = flyway.info();
            refuseNewerSchema(location, info);
            if (info.applied().length == 0) {
                refuseForeignTables(database, listTablesSql);
            }
            flyway.migrate();
        } catch (FlywayException e) {
            throw new StoreException("workspace " + location + ": cannot bring the schema up to date: "
                    + Failures.oneLine(e), e);
        }
    }

    /** The newest schema version this hotpath knows. */
    static String latestVersion(MigrationInfoService info) {
        String latest = "none";
        for (MigrationInfo m : info.all()) {
            if (m.getState().isResolved() && m.getVersion() != null) {
                latest = m.getVersion().getVersion();
            }
        }
        return latest;
    }

    private static void refuseNewerSchema(String location, MigrationInfoService info) throws StoreException {
        for (MigrationInfo m : info.applied()) {
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                throw new StoreException("workspace " + location + ": schema version " + m.getVersion()
                        + " was written by a newer hotpath (this one knows up to version " + latestVersion(info)
                        + "); use a newer hotpath or another workspace");
            }
            if (m.getState() == MigrationState.FAILED) {
                throw new StoreException("workspace " + location + ": schema migration " + m.getVersion()
                        + " failed earlier and was left half applied; restore the workspace from a backup");
            }
        }
    }

    private static void refuseForeignTables(Database database, String listTablesSql) throws StoreException {
        List<String> tables = new ArrayList<>();
        try (Connection c = database.forRead(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(listTablesSql)) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException("workspace " + database.location() + ": cannot read the schema: "
                    + Failures.oneLine(e), e);
        }
        tables.remove(HISTORY_TABLE);
        if (!tables.isEmpty()) {
            throw new StoreException("workspace " + database.location() + ": holds tables that hotpath did not make ("
                    + String.join(", ", tables.subList(0, Math.min(5, tables.size())))
                    + (tables.size() > 5 ? ", ..." : "") + "); point --workspace at an empty directory or database");
        }
    }
}
