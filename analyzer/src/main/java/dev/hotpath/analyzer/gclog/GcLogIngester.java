package dev.hotpath.analyzer.gclog;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.rules.gc.GcSummary;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;

/**
 * A unified GC log into a {@link GcSummary}, streamed line by line. ISO-8859-1 decoding never fails, so a log with
 * a stray binary tail is read as far as it has GC lines; a file with none at all is unusable.
 */
public final class GcLogIngester implements Ingester {
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.GCLOG);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        GcLogParser parser = new GcLogParser();
        try (BufferedReader r = Files.newBufferedReader(artifact.path(), StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                parser.line(line);
            }
        }
        if (parser.gcLines() == 0) {
            throw new UnusableInputException(artifact.path(), "no unified GC log lines in " + parser.lines()
                    + " lines (expected -Xlog:gc output such as 'GC(0) Pause Young ...')");
        }
        GcSummary s = parser.finish(artifact);
        if ("none".equals(parser.clock())) {
            ctx.note(artifact.sourceName() + ": GC log has no time decorations; pause statistics only "
                    + "(no GC time share, rates or heap trend). Log with -Xlog:gc*:file=F:time,uptime,level,tags.");
        }
        ctx.add(s);
    }
}
