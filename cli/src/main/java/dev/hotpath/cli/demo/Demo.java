package dev.hotpath.cli.demo;

import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's moving parts in one place: where the jars are, a work directory under java.io.tmpdir, the runner, and a
 * shutdown hook so that Ctrl-C still ends every process and removes the work directory.
 */
public final class Demo {
    private final DemoPlan plan;
    private final Duration load;
    private final Progress progress;
    private final Path parent;
    private Path work;
    private Thread hook;

    public Demo(DemoPlan plan, Duration load, Path parent, PrintWriter err, boolean terminal) {
        this.plan = plan;
        this.load = load;
        this.parent = parent;
        this.progress = new Progress(err, terminal);
    }

    public record Outcome(Path work, List<Path> runDirs, String loadSummary) {
    }

    public Outcome run() throws IOException, InterruptedException, UnusableInputException {
        Path home = home();
        Path samples = home.resolve("sample-apps/target/hotpath-samples.jar");
        Path agent = home.resolve("agent/target/hotpath-agent.jar");
        for (Path jar : List.of(samples, agent)) {
            if (!Files.isRegularFile(jar)) {
                throw new UnusableInputException(jar, "not built: run ./hotpath from the repository (it builds what is missing)");
            }
        }
        work = parent == null ? Files.createTempDirectory("hotpath-demo-")
                : Files.createTempDirectory(Files.createDirectories(parent), "hotpath-demo-");
        Path w = work;
        hook = new Thread(() -> DemoRunner.cleanUp(w, false), "hotpath-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        DemoRunner.Result r = new DemoRunner(work, samples, agent, java, plan, load, progress).run();
        List<String> summaries = new ArrayList<>();
        for (Path p : r.loadSummaries()) {
            String s = DemoRunner.readSummary(p);
            if (s != null) {
                summaries.add(p.getFileName() + " " + s.strip());
            }
        }
        return new Outcome(work, r.runDirs(), summaries.isEmpty() ? null : String.join("\n      ", summaries));
    }

    public void phase(String text) {
        progress.phase(text);
    }

    /** Ends what is still running and removes the work directory (unless kept). */
    public void cleanUp(boolean keep) {
        if (work != null) {
            DemoRunner.cleanUp(work, keep);
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it does the same work
            }
        }
    }

    /** The repository the launcher runs from ({@code -Dhotpath.home}), else the current directory. */
    static Path home() {
        String home = System.getProperty("hotpath.home");
        return Paths.get(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }
}
