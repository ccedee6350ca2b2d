package dev.hotpath.analyzer.store;

/** Chooses the store implementation for a location. Placeholder until the SQLite/PostgreSQL stores land. */
final class WorkspaceStores {
    private WorkspaceStores() {
    }

    static WorkspaceStore open(String location) throws StoreException {
        throw new StoreException("workspace " + location + ": the workspace store is not built yet");
    }
}
