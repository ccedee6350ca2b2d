package dev.hotpath.analyzer.ingest;

import dev.hotpath.analyzer.model.Summary;

/** Where an ingester puts what it made. Implementations are thread-safe: artifacts may be ingested in parallel. */
public interface IngestContext {
    void add(Summary summary);

    /** One line for the report about this artifact, e.g. "recording.jfr: truncated at byte 1234; read 3 of 4 chunks". */
    void note(String line);
}
