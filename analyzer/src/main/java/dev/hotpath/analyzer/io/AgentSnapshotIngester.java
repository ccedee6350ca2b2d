package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.util.Set;

/** Agent snapshots ({@link ArtifactType#AGENT_SNAPSHOT}) into an {@link IoSnapshot}. */
public final class AgentSnapshotIngester implements Ingester {
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.AGENT_SNAPSHOT);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        ctx.add(AgentSnapshotReader.read(artifact.path(), artifact, ctx::note));
    }
}
