package dev.hotpath.analyzer.profile;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Set;

/**
 * async-profiler (or FlameGraph's stackcollapse) collapsed stacks, {@code root;…;leaf count} per line, into a bounded
 * {@link ProfileSummary}. Frames are normalised ({@code com/acme/Foo.bar_[j]} → {@code com.acme.Foo.bar}). The file
 * does not say what was profiled; the type is taken from its name ({@code alloc}, {@code lock}, {@code wall}, else
 * {@code cpu}) and the choice is noted. Lines that do not end in a count are skipped and counted in a note.
 */
public final class CollapsedIngester implements Ingester {
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.COLLAPSED);
    }

    static String typeFromName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("alloc")) {
            return "alloc";
        }
        if (n.contains("lock")) {
            return "lock";
        }
        if (n.contains("wall")) {
            return "wall";
        }
        return "cpu";
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        CollapsedProfile profile = new CollapsedProfile();
        long bad = 0;
        long lineNo = 0;
        StringBuilder sb = new StringBuilder(256);
        try (BufferedReader r = Files.newBufferedReader(artifact.path(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                int sp = line.lastIndexOf(' ');
                if (line.isBlank()) {
                    continue;
                }
                long count;
                try {
                    count = sp <= 0 ? -1 : Long.parseLong(line.substring(sp + 1).trim());
                } catch (NumberFormatException e) {
                    count = -1;
                }
                if (count < 0) {
                    bad++;
                    continue;
                }
                sb.setLength(0);
                String stack = line.substring(0, sp);
                int from = 0;
                while (from <= stack.length()) {
                    int semi = stack.indexOf(';', from);
                    int to = semi < 0 ? stack.length() : semi;
                    if (sb.length() > 0) {
                        sb.append(';');
                    }
                    sb.append(Frames.normalise(stack.substring(from, to)));
                    from = to + 1;
                }
                profile.add(sb.toString(), count, count);
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UnusableInputException(artifact.path(), "not a collapsed-stacks text file (invalid UTF-8 near line "
                    + (lineNo + 1) + ")");
        }
        if (profile.samples() == 0) {
            throw new UnusableInputException(artifact.path(), "no collapsed stacks ('frame;frame;frame count' lines) in "
                    + lineNo + " lines");
        }
        String type = typeFromName(artifact.sourceName());
        ctx.note(artifact.sourceName() + ": collapsed stacks read as a " + type + " profile (from the file name)"
                + (bad > 0 ? "; skipped " + bad + " lines without a count" : ""));
        ctx.add(new ProfileSummary(artifact, type, "samples", profile, 0));
    }
}
