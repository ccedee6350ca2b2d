package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.nativemem.NativeFormatException;
import dev.hotpath.nativemem.asprof.NativeMemProfile;
import dev.hotpath.nativemem.asprof.NativeMemReader;

import java.io.IOException;
import java.util.Set;

/**
 * The {@code nativemem} part of an async-profiler JFR file ({@code profiler.Malloc}/{@code profiler.Free}) →
 * {@link NativeMemSummary}. Another ingester reads the same file's CPU, allocation and lock samples; a recording
 * without malloc events adds nothing here.
 */
public final class NativeMemJfrIngester implements Ingester {
    /** Allocations in the last 10% of the recording may just not have been freed yet: they are left out. */
    static final double TAIL_FRACTION = 0.10;
    static final int TOP = 10;

    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.ASYNC_PROFILER_JFR);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        NativeMemProfile p;
        try {
            p = new NativeMemReader(TAIL_FRACTION, TOP).read(artifact.path());
        } catch (NativeFormatException e) {
            throw NativeInputs.unusable(artifact, e);
        }
        if (p != null) {
            ctx.add(new NativeMemSummary(artifact, p));
        }
    }
}
