package dev.hotpath.nativemem.symbols;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Symbolizes a jemalloc profile through {@code jeprof --collapsed --inuse_space} when jeprof is installed (Debian's
 * libjemalloc-dev ships it). jeprof reads the same {@code MAPPED_LIBRARIES} section and applies the same sample
 * scaling as {@link dev.hotpath.nativemem.jemalloc.HeapProfile}; it also resolves file/line with addr2line, at a cost
 * of seconds per profile, which is why hotpath's own {@link NativeSymbolizer} is the default.
 */
public final class JeprofRunner {
    /** One collapsed stack: frames outermost first (jeprof's order), bytes in use. */
    public record CollapsedStack(List<String> frames, long bytes) {
    }

    private JeprofRunner() {
    }

    /** The jeprof executable on PATH, or {@code null}. */
    public static Path find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "jeprof");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * @param binary the profiled process's executable (e.g. {@code $JAVA_HOME/bin/java})
     * @return stacks, largest first
     */
    public static List<CollapsedStack> collapsed(Path jeprof, Path binary, Path profile, long timeoutSeconds)
            throws IOException {
        Process p = new ProcessBuilder(jeprof.toString(), "--collapsed", "--inuse_space", binary.toString(),
                profile.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<CollapsedStack> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int sp = line.lastIndexOf(' ');
                if (sp <= 0) {
                    continue;
                }
                long bytes;
                try {
                    bytes = Long.parseLong(line.substring(sp + 1).trim());
                } catch (NumberFormatException e) {
                    continue;
                }
                List<String> frames = new ArrayList<>(Arrays.asList(line.substring(0, sp).split(";")));
                frames.replaceAll(JeprofRunner::stripOffset);
                out.add(new CollapsedStack(frames, bytes));
            }
        } finally {
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        out.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return out;
    }

    /** {@code deflateInit2_<0000000000008c90>} → {@code deflateInit2_}. */
    private static String stripOffset(String frame) {
        int lt = frame.lastIndexOf('<');
        return lt > 0 && frame.endsWith(">") ? frame.substring(0, lt) : frame;
    }
}
