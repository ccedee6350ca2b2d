package dev.hotpath.bench.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
