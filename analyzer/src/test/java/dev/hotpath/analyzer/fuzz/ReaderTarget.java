package dev.hotpath.analyzer.fuzz;

import dev.hotpath.analyzer.detect.RunManifest;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * One reader as the pipeline drives it, minus the pipeline's safety net: the input is written to a file, typed as the
 * format says (a run manifest may declare any type for any file, so readers get input their detector would refuse),
 * and every registered {@link Ingester} of that type reads it; each summary is then rendered as the workspace would
 * store it ({@link Summary#toJson()}). Anything but a result or an {@link UnusableInputException} escapes to the
 * caller, where the pipeline would have turned it into "X failed: NullPointerException".
 *
 * <p>Thread-safe: each call uses its own file under the given directory.
 */
public final class ReaderTarget {
    /** What a read produced: the number of summaries and notes, and their kinds (for a manifest: its entries' types). */
    public record Outcome(int summaries, int notes, List<String> kinds) {
    }

    private static final List<Ingester> INGESTERS = ServiceLoader.load(Ingester.class).stream()
            .map(ServiceLoader.Provider::get).toList();

    private ReaderTarget() {
    }

    /** The run-dir "format" reads {@code manifest.json} from a directory; every other format one typed file. */
    public static Outcome read(Format format, byte[] input, Path dir) throws IOException, UnusableInputException {
        Files.createDirectories(dir);
        if (format.type() == ArtifactType.RUN_DIR) {
            Path file = dir.resolve(RunManifest.FILE_NAME);
            Files.write(file, input);
            try {
                RunManifest m = RunManifest.read(dir);
                List<String> types = m.entries().stream()
                        .map(e -> e.type() == null ? "(detect)" : e.type().id()).toList();
                return new Outcome(types.size(), 0, types);
            } finally {
                Files.deleteIfExists(file);
            }
        }
        Path file = dir.resolve("input" + format.suffix());
        Files.write(file, input);
        try {
            return ingest(format.type(), file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static Outcome ingest(ArtifactType type, Path file) throws IOException, UnusableInputException {
        Artifact artifact = Contexts.artifact(file, type);
        Contexts.Ingested ctx = new Contexts.Ingested();
        int readers = 0;
        for (Ingester ingester : INGESTERS) {
            if (ingester.types().contains(type)) {
                ingester.ingest(artifact, ctx);
                readers++;
            }
        }
        if (readers == 0) {
            throw new IllegalStateException("no ingester registered for " + type.id());
        }
        List<String> kinds = new ArrayList<>();
        for (Summary s : ctx.summaries) {
            s.toJson();
            kinds.add(s.kind());
        }
        return new Outcome(ctx.summaries.size(), ctx.notes.size(), List.copyOf(kinds));
    }
}
