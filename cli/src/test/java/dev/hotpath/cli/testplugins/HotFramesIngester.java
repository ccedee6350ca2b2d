package dev.hotpath.cli.testplugins;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Test ingester (registered in the CLI's test META-INF/services): sums the samples of each leaf frame. A file whose
 * first line is {@code ;reject 1} is rejected as unusable; lines that do not parse are skipped and noted.
 */
public final class HotFramesIngester implements Ingester {
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.COLLAPSED);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        Map<String, Long> byLeaf = new LinkedHashMap<>();
        long total = 0;
        for (String line : Files.readAllLines(artifact.path())) {
            if (line.startsWith("reject;")) {
                throw new UnusableInputException(artifact.path(), "test ingester rejects this file");
            }
            int sp = line.lastIndexOf(' ');
            if (sp < 0) {
                continue;
            }
            String stack = line.substring(0, sp);
            long n = Long.parseLong(line.substring(sp + 1));
            byLeaf.merge(stack.substring(stack.lastIndexOf(';') + 1), n, Long::sum);
            total += n;
        }
        ctx.add(new HotFrames(artifact, byLeaf, total));
    }
}
