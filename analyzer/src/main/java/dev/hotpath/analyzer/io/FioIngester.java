package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.util.Set;

/** fio JSON results ({@link ArtifactType#FIO}) into a {@link DeviceBaseline}. */
public final class FioIngester implements Ingester {
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.FIO);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        ctx.add(DeviceResults.read(artifact.path(), artifact));
    }
}
