package dev.hotpath.analyzer.store;

/** Chooses the store for a location: a JDBC URL of PostgreSQL, otherwise a directory holding a SQLite database. */
final class WorkspaceStores {
    private WorkspaceStores() {
    }

    static WorkspaceStore open(String location) throws StoreException {
        if (location == null || location.isBlank()) {
            throw new StoreException("workspace location is empty: give a directory or a jdbc:postgresql:// URL");
        }
        if (location.startsWith("jdbc:postgresql:")) {
            return new JdbcWorkspaceStore(PostgresDatabase.open(location));
        }
        if (location.startsWith("jdbc:")) {
            throw new StoreException("workspace " + location.replaceAll("(?i)(password=)[^&;]*", "$1***")
                    + ": unsupported JDBC URL (hotpath keeps runs in a directory or in jdbc:postgresql://...)");
        }
        return new JdbcWorkspaceStore(SqliteDatabase.open(location));
    }
}
