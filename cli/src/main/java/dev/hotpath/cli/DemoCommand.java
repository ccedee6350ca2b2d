package dev.hotpath.cli;

import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.pipeline.Analysis;
import dev.hotpath.analyzer.pipeline.AnalysisOptions;
import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.pipeline.Problem;
import dev.hotpath.analyzer.report.JsonReport;
import dev.hotpath.analyzer.report.TextReport;
import dev.hotpath.analyzer.store.WorkspaceStore;
import dev.hotpath.cli.demo.Demo;
import dev.hotpath.cli.demo.DemoPlan;
import dev.hotpath.cli.record.Durations;
import dev.hotpath.ui.PipelineRunAnalyzer;
import dev.hotpath.ui.UiOptions;
import dev.hotpath.ui.UiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code hotpath demo}: the sample gateway, cache and ingest services run under {@code hotpath record} (JFR, NMT,
 * RSS timeline, GC log, heap dumps, the agent, async-profiler nativemem) while two load generators drive them with
 * a set of planted faults; the evidence is analysed into one run, stored, printed, and shown in the UI.
 */
@Command(name = "demo", description = "Run the sample services under load with planted faults, record everything, "
        + "diagnose the run, and show it in the UI (--headless: print and exit).")
public final class DemoCommand extends BaseCommand {
    @Option(names = "--headless", description = "Do not start the UI; print the report and exit.")
    boolean headless;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the findings JSON to FILE.")
    Path json;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "90s", description = "Length of the load phase (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--faults", paramLabel = "LIST", description = "Faults to plant (default: " + "small-writes,fsync-per-write,"
            + "heap-leak,native-leak,lock-contention,alloc-churn).")
    String faults;

    @Option(names = "--clean", description = "Plant no fault: a healthy run must yield no warning or critical finding.")
    boolean clean;

    @Option(names = "--run", paramLabel = "NAME", description = "Name of the stored run (default: demo-<time>).")
    String runName;

    @Option(names = "--port", defaultValue = "7070", description = "UI port (0: a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--keep", description = "Keep the run directories (printed at the end) instead of deleting them.")
    boolean keep;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the demo's temporary directory goes (default: java.io.tmpdir).")
    Path workDir;

    @Mixin
    WorkspaceOptions workspace;

    @Override
    public Integer call() throws Exception {
        DemoPlan plan;
        Duration load;
        try {
            if (clean && faults != null) {
                throw new IllegalArgumentException("--clean and --faults contradict each other");
            }
            plan = DemoPlan.of(faults, clean);
            load = Durations.parse(duration);
            if (load.toSeconds() < 10) {
                throw new IllegalArgumentException("--duration " + duration + ": at least 10s, so that growth can be measured");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        String name = runName != null ? runName
                : DateTimeFormatter.ofPattern("'demo-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());

        Demo demo = new Demo(plan, load, workDir, err(), HotpathCommand.stdoutIsTerminal());
        try {
            Demo.Outcome outcome = demo.run();
            Analysis analysis = Analyzer.withInstalledPlugins().analyze(outcome.runDirs(), new AnalysisOptions(name, null, null));
            for (Problem p : analysis.problems()) {
                err().println(p.line());
            }
            if (!analysis.usable()) {
                throw new UnusableInputException(outcome.work(), "the demo recorded nothing usable");
            }
            demo.phase("analysed " + analysis.run().artifacts().size() + " artifacts: " + analysis.run().findings().size() + " findings");
            try (WorkspaceStore store = WorkspaceStore.open(workspace.location())) {
                Run run = analysis.run().withId(store.save(analysis.run()));
                demo.phase("stored run " + run.name() + " (" + run.id() + ") in " + store.location());
                out().print(TextReport.render(run, HotpathCommand.stdoutIsTerminal()));
                if (outcome.loadSummary() != null) {
                    out().println("load: " + outcome.loadSummary());
                }
                out().flush();
                if (json != null) {
                    Files.writeString(json, JsonReport.render(run), StandardCharsets.UTF_8);
                }
                if (keep) {
                    out().println("run directories kept under " + outcome.work());
                }
                if (!headless) {
                    serveUntilInterrupted(store, run);
                }
            }
        } finally {
            demo.cleanUp(keep);
        }
        return ExitCodes.OK;
    }

    private void serveUntilInterrupted(WorkspaceStore store, Run run) throws InterruptedException {
        UiServer server = UiServer.start(store, new PipelineRunAnalyzer(Analyzer.withInstalledPlugins(), store),
                UiOptions.loopback(port, UiCommand.uploadDir(workspace.location())));
        out().println("open " + server.url() + "runs/" + run.id() + "  (Ctrl-C stops)");
        out().flush();
        UiCommand.serveUntilInterrupted(server, () -> { });
    }
}
