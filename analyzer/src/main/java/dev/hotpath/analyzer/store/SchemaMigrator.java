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
import java.util.BitSet;
import java.util.List;

/**
 * Brings a workspace's schema to this hotpath's version with Flyway (which drives SQLite from flyway-core and
 * PostgreSQL through flyway-database-postgresql). Each versioned script under {@code db/migration/<dialect>/} runs
 * in its own transaction, recorded in {@code flyway_schema_history}.
 *
 * <p>Refuses, without changing anything: a schema written by a newer hotpath (Flyway on its own would silently
 * ignore the "future" migrations and let this version write rows the newer schema does not expect), and a database
 * that already holds someone else's tables.
 *
 * <p>Most opens find the schema current. Those read {@code flyway_schema_history} directly and skip Flyway, whose
 * start-up (some 400 classes, a class-path scan) would otherwise cost every CLI invocation a second or more; Flyway
 * (with its checksum validation) runs whenever the history is not exactly versions 1..{@link #SCHEMA_VERSION}.
 */
final class SchemaMigrator {
    static final String HISTORY_TABLE = "flyway_schema_history";
    /** The newest {@code V<n>__*.sql} of every dialect; SchemaMigratorTest checks it against the resources. */
    static final int SCHEMA_VERSION = 1;

    private SchemaMigrator() {
    }

    /**
     * @param dialectDir    {@code sqlite} or {@code postgresql}
     * @param listTablesSql a query whose first column names the tables of the workspace's schema
     */
    static void migrate(Database database, String dialectDir, String listTablesSql) throws StoreException {
        String location = database.location();
        if (isCurrent(database)) {
            return;
        }
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

    /**
     * True when the history records exactly versions 1..SCHEMA_VERSION, all successful; refuses a newer schema.
     * Any surprise (no history table yet, versions that are not integers, a failed entry) answers false, so
     * that Flyway looks and reports.
     */
    private static boolean isCurrent(Database database) throws StoreException {
        BitSet seen = new BitSet();
        int newest = 0;
        try (Connection c = database.forRead(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM " + HISTORY_TABLE
                     + " WHERE version IS NOT NULL")) {
            while (rs.next()) {
                String version = rs.getString(1);
                if (!version.matches("[1-9][0-9]{0,8}") || !rs.getBoolean(2)) {
                    return false;
                }
                int v = Integer.parseInt(version);
                seen.set(v);
                newest = Math.max(newest, v);
            }
        } catch (SQLException e) {
            return false;
        }
        if (newest > SCHEMA_VERSION) {
            throw newer(database.location(), Integer.toString(newest), Integer.toString(SCHEMA_VERSION));
        }
        return seen.cardinality() == SCHEMA_VERSION && seen.nextSetBit(0) == 1 && newest == SCHEMA_VERSION;
    }

    private static StoreException newer(String location, String version, String known) {
        return new StoreException("workspace " + location + ": schema version " + version
                + " was written by a newer hotpath (this one knows up to version " + known
                + "); use a newer hotpath or another workspace");
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
                throw newer(location, String.valueOf(m.getVersion()), latestVersion(info));
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
