package dev.hotpath.analyzer.nativemem;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.nativemem.NativeFormatException;
import dev.hotpath.nativemem.nmt.NmtParser;
import dev.hotpath.nativemem.nmt.NmtReport;

import java.io.IOException;
import java.util.Set;

/** {@code jcmd VM.native_memory} output → {@link NmtSnapshot}. */
public final class NmtIngester implements Ingester {
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.NMT);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        NmtReport r;
        try {
            r = NmtParser.parse(artifact.path());
        } catch (NativeFormatException e) {
            throw NativeInputs.unusable(artifact, e);
        } catch (NumberFormatException e) {
            // a number too long for a long (corpus nmt/crash-number-too-long)
            throw new UnusableInputException(artifact.path(), "number out of range in NMT output: " + e.getMessage());
        }
        long t = r.epochMillis() >= 0 ? r.epochMillis() : NativeInputs.mtime(artifact);
        ctx.add(new NmtSnapshot(artifact, t, r));
    }
}
