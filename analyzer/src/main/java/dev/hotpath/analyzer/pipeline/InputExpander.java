package dev.hotpath.analyzer.pipeline;

import dev.hotpath.analyzer.detect.RunManifest;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns the user's arguments into the files to read: a file as is; a run directory by its manifest (FORMATS.md: the
 * listed artifacts, typed when the manifest says so); any other directory by every regular file under it, in name
 * order. A file named twice is read once.
 */
final class InputExpander {
    /** A file to read, with the type its run manifest declares ({@code null}: detect by content). */
    record Candidate(Path path, ArtifactType declaredType, String displayName) {
        Candidate(Path path, ArtifactType declaredType) {
            this(path, declaredType, null);
        }
    }

    record Expansion(List<Candidate> candidates, List<Problem> problems, List<Map<String, Object>> manifests,
                     String suggestedName) {
    }

    static Expansion expand(List<Path> inputs) {
        List<Candidate> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<Map<String, Object>> manifests = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        String name = null;
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                problems.add(Problem.of(input + ": no such file or directory"));
            } else if (Files.isDirectory(input)) {
                if (RunManifest.isRunDir(input)) {
                    try {
                        RunManifest m = RunManifest.read(input);
                        manifests.add(m.manifest());
                        name = name == null ? dirName(input) : name;
                        for (RunManifest.Entry e : m.entries()) {
                            if (!Files.isRegularFile(e.path())) {
                                problems.add(Problem.of(e.path() + ": listed in " + input.resolve(RunManifest.FILE_NAME)
                                        + " but missing"));
                            } else if (seen.add(key(e.path()))) {
                                out.add(new Candidate(e.path(), e.type()));
                            }
                        }
                    } catch (UnusableInputException e) {
                        problems.add(Problem.of(e.getMessage()));
                    } catch (IOException e) {
                        problems.add(new Problem(input + ": cannot read the run manifest: " + e, e));
                    }
                } else {
                    List<Path> files = walk(input, problems);
                    if (files != null && files.isEmpty()) {
                        problems.add(Problem.of(input + ": empty directory (no files to analyse)"));
                    }
                    for (Path f : files == null ? List.<Path>of() : files) {
                        if (seen.add(key(f))) {
                            out.add(new Candidate(f, null));
                        }
                    }
                }
            } else if (seen.add(key(input))) {
                out.add(new Candidate(input, null));
            }
        }
        Map<Path, String> names = Analyzer.displayNames(out.stream().map(Candidate::path).toList());
        List<Candidate> named = out.stream().map(c -> new Candidate(c.path(), c.declaredType(), names.get(c.path()))).toList();
        return new Expansion(named, problems, manifests, name);
    }

    private static List<Path> walk(Path dir, List<Problem> problems) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            problems.add(new Problem(dir + ": cannot list the directory: " + e.getMessage(), e));
            return null;
        }
    }

    private static Path key(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static String dirName(Path dir) {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? null : n.toString();
    }
}
