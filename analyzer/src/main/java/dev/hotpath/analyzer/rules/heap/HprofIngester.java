package dev.hotpath.analyzer.rules.heap;

import dev.hotpath.analyzer.heap.HeapEngine;
import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.util.Set;

/**
 * Analyses an HPROF artifact with the heap engine (suspects computed at the engine's default 10% of the reachable
 * heap) and adds a {@link HeapSummary}. Truncation and other partial reads become notes. Stateless; thread-safe.
 */
public final class HprofIngester implements Ingester {
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.HPROF);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        HeapEngine.Result r = new HeapEngine().top(20).analyzeWithDigest(artifact.path());
        r.report().notes().forEach(ctx::note);
        ctx.add(new HeapSummary(artifact, r.report(), r.digest()));
    }
}
