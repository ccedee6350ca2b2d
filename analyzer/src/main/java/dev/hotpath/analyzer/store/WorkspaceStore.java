package dev.hotpath.analyzer.store;

import dev.hotpath.analyzer.model.Run;

import java.util.List;
import java.util.Optional;

/**
 * Where runs are kept: SQLite in a directory by default ({@code ~/.hotpath/workspace}), PostgreSQL for a team
 * ({@code jdbc:postgresql://...}). Saving a run is atomic: a reader (or a process killed mid-save) sees either the
 * whole run or none of it, and earlier runs are never touched.
 */
public interface WorkspaceStore extends AutoCloseable {

    /**
     * Opens (creating and migrating when needed) the workspace named by a directory path or a JDBC URL.
     *
     * @throws StoreException with a one-line message naming the location and what is wrong
     */
    static WorkspaceStore open(String location) throws StoreException {
        return WorkspaceStores.open(location);
    }

    /** Stores the run with its artifacts, summaries and findings in one transaction; returns the stored run's id. */
    String save(Run run) throws StoreException;

    /** Runs, newest first, without their findings and summaries loaded. */
    List<RunInfo> list() throws StoreException;

    /** The whole run (artifacts, findings, summaries, notes), or empty when no run has this id or name. */
    Optional<Run> load(String idOrName) throws StoreException;

    /** A stored summary of a run by its kind, as the JSON-compatible value it was saved with. */
    Optional<Object> summary(String runId, String kind) throws StoreException;

    /** Human-readable location (directory or URL without password), for messages. */
    String location();

    @Override
    void close() throws StoreException;
}
