package dev.hotpath.bench.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads async-profiler's collapsed output ({@code frame;frame;… count} per line) for the agent harnesses. */
final class CollapsedStacks {
    /** Called once per stack with its sample count. */
    interface StackVisitor {
        void visit(String stack, long samples);
    }

    private CollapsedStacks() {
    }

    /**
     * Copies a profile to the directory named by {@code -DprofileDir} (if set) as {@code name}, before the harness
     * deletes it, so that the agent's frames can be read there (e.g. with {@code grep dev/hotpath/agent}).
     */
    static void keep(Path collapsed, String name) throws IOException {
        String dir = System.getProperty("profileDir");
        if (dir != null && Files.exists(collapsed)) {
            Path d = Files.createDirectories(Path.of(dir));
            Files.copy(collapsed, d.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Concatenates the profiles in {@code dir} named {@code prefix*.collapsed} whose last-modified time (when the
     * profiler wrote them: the end of their loop) lies in [{@code from}, {@code to}] into {@code out}; returns how
     * many. A stack in several of them has several lines, which {@link #forEach} readers add up.
     */
    static int merge(Path dir, String prefix, long from, long to, Path out) throws IOException {
        List<Path> parts = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                long t = Files.getLastModifiedTime(p).toMillis();
                if (n.startsWith(prefix) && n.matches(".*-\\d+\\.collapsed") && t >= from && t <= to) {
                    parts.add(p);
                }
            }
        }
        try (java.io.OutputStream o = Files.newOutputStream(out)) {
            for (Path p : parts) {
                Files.copy(p, o);
            }
        }
        return parts.size();
    }

    static void forEach(Path collapsed, StackVisitor visitor) throws IOException {
        for (String line : Files.readAllLines(collapsed)) {
            int sp = line.lastIndexOf(' ');
            if (sp < 0) {
                continue;
            }
            visitor.visit(line.substring(0, sp), Long.parseLong(line.substring(sp + 1).trim()));
        }
    }
}
