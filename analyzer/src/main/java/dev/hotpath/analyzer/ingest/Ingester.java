package dev.hotpath.analyzer.ingest;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.util.List;
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

    /**
     * The process an artifact came from, when this ingester reads several artifacts of one process as one (the
     * rotated files of one JVM's recording, several dumps of it); {@code null} (the default): read it alone. Called
     * before {@link #ingest}, possibly in parallel for several artifacts; a key equal to another artifact's means
     * "same process".
     */
    default String processKey(Artifact artifact) throws IOException {
        return null;
    }

    /**
     * Reads artifacts with one {@link #processKey} as one: one set of summaries, whose source is the first artifact
     * (the pipeline names all of them in the findings). Only called with two or more artifacts.
     */
    default void ingestTogether(List<Artifact> sameProcess, IngestContext ctx)
            throws IOException, UnusableInputException {
        for (Artifact a : sameProcess) {
            ingest(a, ctx);
        }
    }

    /**
     * Whether this ingester calls {@link IngestContext#fingerprinted} for every artifact it makes summaries of, so
     * that the pipeline may hand it artifacts whose SHA-256 is not computed yet (it then hashes them while the
     * ingester reads, instead of before). The pipeline does so only when every ingester of the type says so.
     */
    default boolean fingerprintsLate() {
        return false;
    }
}
