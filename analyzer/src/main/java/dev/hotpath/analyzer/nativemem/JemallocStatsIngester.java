package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.nativemem.NativeFormatException;
import dev.hotpath.nativemem.jemalloc.MallocStatsParser;

import java.io.IOException;
import java.util.Set;

/** jemalloc {@code malloc_stats_print} text → {@link JemallocStatsSummary}. */
public final class JemallocStatsIngester implements Ingester {
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.JEMALLOC_STATS);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        try {
            ctx.add(new JemallocStatsSummary(artifact, MallocStatsParser.parse(artifact.path())));
        } catch (NativeFormatException e) {
            throw NativeInputs.unusable(artifact, e);
        }
    }
}
