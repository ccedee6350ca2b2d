package dev.hotpath.analyzer.ingest;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.util.Set;

/**
 * Turns one artifact into bounded {@link dev.hotpath.analyzer.model.Summary summaries}. Ingesters stream: memory is a
 * function of what they keep, not of the file's size.
 *
 * <p>Found with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.hotpath.analyzer.ingest.Ingester}).
 * Several ingesters may accept one type; each adds its own summaries.
 *
 * <p>Input usable in part (a truncated recording) is read as far as it goes and reported with
 * {@link IngestContext#note}; input that is not usable at all throws {@link UnusableInputException}.
 */
public interface Ingester {
    Set<ArtifactType> types();

    void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException;
}
