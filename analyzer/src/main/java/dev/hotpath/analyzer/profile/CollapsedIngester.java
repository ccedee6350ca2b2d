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

    /** What one pass over the file saw. */
    private static final class Pass {
        final CollapsedProfile profile = new CollapsedProfile();
        long bad;
        long lines;
        /** The counts' exact sum as a double: whether the long totals would overflow. */
        double total;
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        Pass pass = read(artifact, 1);
        double total = pass.total;
        long divisor = 1;
        // Counts summing past what a long holds (allocated bytes summed over a long run, or a converter's scaled
        // weights): read again with every count divided by one factor, so shares stay exact to the rounding
        if (total >= 0x1p62) {
            divisor = (long) Math.ceil(total / 0x1p62);
            pass = read(artifact, divisor);
        }
        if (pass.profile.samples() == 0) {
            throw new UnusableInputException(artifact.path(), "no collapsed stacks ('frame;frame;frame count' lines) in "
                    + pass.lines + " lines");
        }
        String type = typeFromName(artifact.sourceName());
        ctx.note(artifact.sourceName() + ": collapsed stacks read as " + ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type + " profile (from the file name)"
                + (pass.bad > 0 ? "; skipped " + pass.bad + " lines without a count" : "")
                + (divisor > 1 ? "; counts divided by " + divisor + " (their sum, " + String.format(Locale.ROOT,
                "%.4g", total) + ", is more than a 64-bit total holds)" : ""));
        ctx.add(new ProfileSummary(artifact, type, "samples", pass.profile, 0));
    }

    private static Pass read(Artifact artifact, long divisor) throws IOException, UnusableInputException {
        Pass pass = new Pass();
        StringBuilder sb = new StringBuilder(256);
        try (BufferedReader r = Files.newBufferedReader(artifact.path(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                pass.lines++;
                if (line.isBlank()) {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                String digits = sp <= 0 ? "" : line.substring(sp + 1).trim();
                long count = count(digits, divisor);
                if (count < 0) {
                    pass.bad++;
                    continue;
                }
                pass.total += digits.length() < 19 ? count : Double.parseDouble(digits);
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
                pass.profile.add(sb.toString(), count, count);
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UnusableInputException(artifact.path(), "not a collapsed-stacks text file (invalid UTF-8 near line "
                    + (pass.lines + 1) + ")");
        }
        return pass;
    }

    /**
     * A line's count divided by {@code divisor}, or -1 when the token is not a non-negative integer. A count of more
     * digits than a long holds is still a count: it is read as a double (the caller then divides every count).
     */
    static long count(String digits, long divisor) {
        if (digits.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        if (divisor == 1 && digits.length() < 19) {
            return Long.parseLong(digits);
        }
        double v = Double.parseDouble(digits) / divisor;
        return v >= 0x1p63 ? Long.MAX_VALUE : Math.round(v);
    }
}
