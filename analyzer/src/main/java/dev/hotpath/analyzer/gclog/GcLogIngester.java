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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unified GC log into a {@link GcSummary}, streamed line by line. ISO-8859-1 decoding never fails, so a log with
 * a stray binary tail is read as far as it has GC lines; a file with none at all is unusable.
 *
 * <p>A log the JVM rotated ({@code -Xlog:gc*:file=gc.log::filecount=N,filesize=M}) is several files of one JVM:
 * JDK 17 and 25 keep writing {@code gc.log} and move each full file to {@code gc.log.<i>} ({@code i} zero-padded to
 * the digits of N-1, so {@code gc.log.0} or {@code gc.log.00}, wrapping around at N). Files in one directory whose
 * names differ only by that suffix are read as one log, ordered by the first time decoration each holds (the index
 * says nothing once it wraps), so pause counts, GC time share and the heap-after-GC trend span all of them.
 */
public final class GcLogIngester implements Ingester {
    private static final Pattern ROTATED = Pattern.compile("(.+)\\.(\\d+)");
    @Override
    public Set<ArtifactType> types() {
        return Set.of(ArtifactType.GCLOG);
    }

    @Override
    public void ingest(Artifact artifact, IngestContext ctx) throws IOException, UnusableInputException {
        GcLogParser parser = new GcLogParser();
        read(artifact.path(), parser);
        noteCut(artifact, ctx);
        finish(parser, artifact, artifact.sourceName(), ctx);
    }

    /** The log a file belongs to: its directory and its name without the rotation suffix. */
    @Override
    public String processKey(Artifact artifact) {
        Path p = artifact.path().toAbsolutePath();
        String name = p.getFileName().toString();
        Matcher m = ROTATED.matcher(name);
        return "gclog:" + p.getParent() + "/" + (m.matches() ? m.group(1) : name);
    }

    /**
     * The rotated files of one log, in the order of their first time decoration (a file without any goes by its
     * rotation index, the current file last), through one parser: a collection whose lines straddle two files is
     * one collection.
     */
    @Override
    public void ingestTogether(List<Artifact> sameProcess, IngestContext ctx)
            throws IOException, UnusableInputException {
        List<Artifact> ordered = new ArrayList<>(sameProcess);
        java.util.Map<Artifact, Long> first = new java.util.HashMap<>();
        for (Artifact a : sameProcess) {
            first.put(a, firstTime(a.path()));
        }
        ordered.sort(Comparator.<Artifact>comparingLong(first::get).thenComparingLong(GcLogIngester::rotationIndex));
        GcLogParser parser = new GcLogParser();
        List<String> names = new ArrayList<>();
        for (Artifact a : ordered) {
            read(a.path(), parser);
            names.add(a.sourceName());
        }
        noteCut(ordered.get(ordered.size() - 1), ctx);
        ctx.note(String.join(", ", names) + ": " + ordered.size() + " files of one rotated GC log read as one log"
                + ("none".equals(parser.clock()) ? " (in rotation order: no time decorations)"
                : " (in the order of their timestamps)"));
        finish(parser, sameProcess.get(0), String.join(", ", names), ctx);
    }

    private static void read(Path file, GcLogParser parser) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                parser.line(line);
            }
        }
    }

    /**
     * A log whose last line has no terminator was cut (copied while the JVM wrote it, or the JVM died mid-line): its
     * complete lines are read, and the partial one can add nothing (a pause line is counted only with its unit).
     */
    private static void noteCut(Artifact a, IngestContext ctx) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(a.path())) {
            long size = ch.size();
            if (size == 0) {
                return;
            }
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            if (last.get(0) != '\n') {
                ctx.note(a.sourceName() + ": GC log ends mid-line at byte " + size
                        + " (cut, or the JVM was still writing it); read up to its last complete line");
            }
        }
    }

    private static void finish(GcLogParser parser, Artifact artifact, String names, IngestContext ctx)
            throws UnusableInputException {
        if (parser.gcLines() == 0 && parser.safepointLines() > 0) {
            throw new UnusableInputException(artifact.path(), "a safepoint log (" + parser.safepointLines()
                    + " -Xlog:safepoint lines) with no GC lines; log the collector too: -Xlog:gc*,safepoint:file=F");
        }
        if (parser.gcLines() == 0) {
            throw new UnusableInputException(artifact.path(), "no unified GC log lines in " + parser.lines()
                    + " lines (expected -Xlog:gc output such as 'GC(0) Pause Young ...')");
        }
        GcSummary s = parser.finish(artifact);
        if ("none".equals(parser.clock())) {
            ctx.note(names + ": GC log has no time decorations; pause statistics only "
                    + "(no GC time share, rates or heap trend). Log with -Xlog:gc*:file=F:time,uptime,level,tags.");
        }
        ctx.add(s);
    }

    /** The first time decoration in the file (ms, epoch or uptime), or {@code Long.MAX_VALUE} when there is none. */
    private static long firstTime(Path file) throws IOException {
        GcLogParser probe = new GcLogParser();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null && n++ < 1000) {
                probe.line(line);
                if (probe.firstMs() != Long.MIN_VALUE) {
                    return probe.firstMs();
                }
            }
        }
        return Long.MAX_VALUE;
    }

    /** gc.log.3 → 3; the current file (no suffix) after every rotated one. */
    private static long rotationIndex(Artifact a) {
        Matcher m = ROTATED.matcher(a.path().getFileName().toString());
        return m.matches() && m.group(2).length() < 10 ? Long.parseLong(m.group(2)) : Long.MAX_VALUE;
    }
}
