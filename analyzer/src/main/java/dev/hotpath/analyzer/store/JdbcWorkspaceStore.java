package dev.hotpath.analyzer.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workspace over JDBC; the same SQL serves SQLite and PostgreSQL. A saved run is never updated, so reads need
 * no locks beyond the snapshot of one transaction. Thread-safe: every call uses its own connection.
 * Closing releases pooled connections only; a closed store must not be used again.
 */
final class JdbcWorkspaceStore implements WorkspaceStore {
    /** Fixed nine fraction digits, so that text order is time order (the schema sorts on this column). */
    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final int BATCH = 500;
    private static final String RUN_COLUMNS =
            "id, name, created_at, notes, artifact_count, info_count, warning_count, critical_count";

    private final Database database;

    JdbcWorkspaceStore(Database database) {
        this.database = database;
    }

    @Override
    public String save(Run run) throws StoreException {
        String id = run.id() != null ? run.id() : RunIds.next();
        if (run.createdAt().isBefore(EARLIEST) || run.createdAt().isAfter(LATEST)) {
            throw new StoreException("workspace " + location() + ": cannot save run '" + run.name()
                    + "': createdAt " + run.createdAt() + " is outside years 1-9999");
        }
        // Serialise before the transaction: a value that is not JSON then fails without holding the write lock.
        RunRows rows;
        try {
            rows = RunRows.of(run);
        } catch (JsonProcessingException e) {
            throw new StoreException("workspace " + location() + ": cannot save run '" + run.name() + "': "
                    + Failures.oneLine(e), e);
        }
        try (Connection c = database.forWrite()) {
            c.setAutoCommit(false);
            try {
                if (exists(c, id)) {
                    rollbackQuietly(c);
                    throw new StoreException("workspace " + location() + ": cannot save run '" + run.name()
                            + "': a run with id " + id + " is already stored");
                }
                insertRun(c, id, run, rows);
                insertArtifacts(c, id, run.artifacts(), rows.attributes());
                insertFindings(c, id, run.findings(), rows);
                insertSummaries(c, id, rows.summaries());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("workspace " + location() + ": cannot save run '" + run.name() + "': "
                    + Failures.fullDisk(e, location()) + Failures.oneLine(e), e);
        }
        return id;
    }

    /**
     * PostgreSQL's text cannot hold U+0000 (SQLite's can); both dialects store it as U+FFFD so a run reads back the
     * same from either. Only plain columns need this: JSON columns carry it as a JSON escape.
     */
    private static String text(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    }

    private static boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void insertRun(Connection c, String id, Run run, RunRows rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (" + RUN_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, text(run.name()));
            ps.setString(3, CREATED_AT.format(run.createdAt()));
            ps.setString(4, rows.notes());
            ps.setInt(5, run.artifacts().size());
            ps.setInt(6, (int) run.count(Severity.INFO));
            ps.setInt(7, (int) run.count(Severity.WARNING));
            ps.setInt(8, (int) run.count(Severity.CRITICAL));
            ps.executeUpdate();
        }
    }

    private static void insertArtifacts(Connection c, String id, List<Artifact> artifacts, List<String> attributes)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts (run_id, ordinal, path, artifact_type, "
                + "size_bytes, sha256, attributes) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < artifacts.size(); i++) {
                Artifact a = artifacts.get(i);
                ps.setString(1, id);
                ps.setInt(2, i);
                ps.setString(3, text(a.path().toString()));
                ps.setString(4, a.type().id());
                ps.setLong(5, a.sizeBytes());
                ps.setString(6, text(a.sha256()));
                ps.setString(7, attributes.get(i));
                ps.addBatch();
                flushEvery(ps, i);
            }
            ps.executeBatch();
        }
    }

    private static void insertFindings(Connection c, String id, List<Finding> findings, RunRows rows)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO findings (run_id, ordinal, rule_id, severity, "
                + "category, title, summary, evidence, recommendation, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < findings.size(); i++) {
                Finding f = findings.get(i);
                ps.setString(1, id);
                ps.setInt(2, i);
                ps.setString(3, text(f.id()));
                ps.setString(4, f.severity().id());
                ps.setString(5, f.category().id());
                ps.setString(6, text(f.title()));
                ps.setString(7, text(f.summary()));
                ps.setString(8, rows.evidence().get(i));
                ps.setString(9, text(f.recommendation()));
                ps.setString(10, rows.sources().get(i));
                ps.addBatch();
                flushEvery(ps, i);
            }
            ps.executeBatch();
        }
    }

    private static void insertSummaries(Connection c, String id, Map<String, String> summaries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO summaries (run_id, kind, body) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> e : summaries.entrySet()) {
                ps.setString(1, id);
                ps.setString(2, text(e.getKey()));
                ps.setString(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void flushEvery(PreparedStatement ps, int i) throws SQLException {
        if ((i + 1) % BATCH == 0) {
            ps.executeBatch();
        }
    }

    @Override
    public List<RunInfo> list() throws StoreException {
        List<RunInfo> runs = new ArrayList<>();
        try (Connection c = database.forRead();
             PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                     + " FROM runs ORDER BY created_at DESC, seq DESC");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                runs.add(info(rs));
            }
        } catch (SQLException e) {
            throw new StoreException("workspace " + location() + ": cannot list runs: " + Failures.oneLine(e), e);
        }
        return runs;
    }

    private static RunInfo info(ResultSet rs) throws SQLException {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        counts.put(Severity.INFO, rs.getInt("info_count"));
        counts.put(Severity.WARNING, rs.getInt("warning_count"));
        counts.put(Severity.CRITICAL, rs.getInt("critical_count"));
        return new RunInfo(rs.getString("id"), rs.getString("name"), Instant.parse(rs.getString("created_at")),
                rs.getInt("artifact_count"), counts);
    }

    @Override
    public Optional<Run> load(String idOrName) throws StoreException {
        try (Connection c = database.forRead()) {
            c.setAutoCommit(false);
            try {
                Optional<Run> run = loadIn(c, idOrName);
                c.commit();
                return run;
            } catch (SQLException | JsonProcessingException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException | JsonProcessingException | RuntimeException e) {
            throw new StoreException("workspace " + location() + ": cannot load run '" + idOrName + "': "
                    + Failures.oneLine(e), e);
        }
    }

    private static Optional<Run> loadIn(Connection c, String idOrName) throws SQLException, JsonProcessingException {
        String id = null;
        String name = null;
        Instant createdAt = null;
        String notes = null;
        // An id first; otherwise the newest run of that name.
        for (String sql : new String[]{"SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?",
                "SELECT " + RUN_COLUMNS + " FROM runs WHERE name = ? ORDER BY created_at DESC, seq DESC"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, idOrName);
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getString("id");
                        name = rs.getString("name");
                        createdAt = Instant.parse(rs.getString("created_at"));
                        notes = rs.getString("notes");
                        break;
                    }
                }
            }
        }
        if (id == null) {
            return Optional.empty();
        }
        return Optional.of(new Run(id, name, createdAt, artifacts(c, id), findings(c, id), summaries(c, id),
                JsonValues.readStrings(notes)));
    }

    private static List<Artifact> artifacts(Connection c, String id) throws SQLException, JsonProcessingException {
        List<Artifact> artifacts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT path, artifact_type, size_bytes, sha256, attributes "
                + "FROM artifacts WHERE run_id = ? ORDER BY ordinal")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    artifacts.add(new Artifact(Path.of(rs.getString(1)), ArtifactType.fromId(rs.getString(2)),
                            rs.getLong(3), rs.getString(4), JsonValues.readMap(rs.getString(5))));
                }
            }
        }
        return artifacts;
    }

    private static List<Finding> findings(Connection c, String id) throws SQLException, JsonProcessingException {
        List<Finding> findings = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT rule_id, severity, category, title, summary, evidence, "
                + "recommendation, sources FROM findings WHERE run_id = ? ORDER BY ordinal")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    findings.add(new Finding(rs.getString(1), Severity.parse(rs.getString(2)),
                            Category.parse(rs.getString(3)), rs.getString(4), rs.getString(5),
                            JsonValues.readMap(rs.getString(6)), rs.getString(7),
                            JsonValues.readStrings(rs.getString(8))));
                }
            }
        }
        return findings;
    }

    private static Map<String, Object> summaries(Connection c, String id) throws SQLException, JsonProcessingException {
        Map<String, Object> summaries = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT kind, body FROM summaries WHERE run_id = ? ORDER BY kind")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    summaries.put(rs.getString(1), JsonValues.read(rs.getString(2)));
                }
            }
        }
        return summaries;
    }

    @Override
    public Optional<Object> summary(String runId, String kind) throws StoreException {
        try (Connection c = database.forRead();
             PreparedStatement ps = c.prepareStatement("SELECT body FROM summaries WHERE run_id = ? AND kind = ?")) {
            ps.setString(1, runId);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JsonValues.read(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new StoreException("workspace " + location() + ": cannot read summary '" + kind + "' of run "
                    + runId + ": " + Failures.oneLine(e), e);
        }
    }

    @Override
    public String location() {
        return database.location();
    }

    @Override
    public void close() {
        database.close();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is closed next; the database discards the open transaction either way.
        }
    }

    /** A run's JSON columns, serialised before its transaction begins. */
    private record RunRows(String notes, List<String> attributes, List<String> evidence, List<String> sources,
                           Map<String, String> summaries) {
        static RunRows of(Run run) throws JsonProcessingException {
            List<String> attributes = new ArrayList<>(run.artifacts().size());
            for (Artifact a : run.artifacts()) {
                attributes.add(JsonValues.write(a.attributes()));
            }
            List<String> evidence = new ArrayList<>(run.findings().size());
            List<String> sources = new ArrayList<>(run.findings().size());
            for (Finding f : run.findings()) {
                evidence.add(JsonValues.write(f.evidence()));
                sources.add(JsonValues.write(f.sources()));
            }
            Map<String, String> summaries = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : run.summaries().entrySet()) {
                summaries.put(e.getKey(), JsonValues.write(e.getValue()));
            }
            return new RunRows(JsonValues.write(run.notes()), attributes, evidence, sources, summaries);
        }
    }
}
