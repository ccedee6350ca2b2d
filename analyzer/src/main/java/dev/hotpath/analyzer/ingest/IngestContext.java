package dev.hotpath.analyzer.ingest;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.io.IOException;

/** Where an ingester puts what it made. Implementations are thread-safe: artifacts may be ingested in parallel. */
public interface IngestContext {
    void add(Summary summary);

    /** One line for the report about this artifact, e.g. "recording.jfr: truncated at byte 1234; read 3 of 4 chunks". */
    void note(String line);

    /**
     * {@code artifact} with its {@link Artifact#sha256()} filled in. An ingester that says
     * {@link Ingester#fingerprintsLate()} is handed its artifacts before they are hashed, so that it can have the
     * hash computed while its workers read the file (the calling thread would wait idle); it calls this, on that
     * thread, before it makes a summary of the artifact. Computed at most once per file; an artifact that already
     * has a hash is returned as it is.
     */
    default Artifact fingerprinted(Artifact artifact) throws IOException {
        return artifact;
    }
}
