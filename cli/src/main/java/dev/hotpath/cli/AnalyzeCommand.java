package dev.hotpath.cli;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.pipeline.Analysis;
import dev.hotpath.analyzer.pipeline.AnalysisOptions;
import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.pipeline.Fingerprint;
import dev.hotpath.analyzer.pipeline.Problem;
import dev.hotpath.analyzer.report.HtmlReport;
import dev.hotpath.analyzer.report.JsonReport;
import dev.hotpath.analyzer.report.MarkdownReport;
import dev.hotpath.analyzer.report.SarifReport;
import dev.hotpath.analyzer.report.TextReport;
import dev.hotpath.analyzer.rules.RuleSettings;
import dev.hotpath.analyzer.store.StoreException;
import dev.hotpath.analyzer.store.WorkspaceStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code hotpath analyze <file|dir>...}: detect, ingest, apply the rules, store the run in the workspace, report.
 *
 * <p>Exit codes: 0; 1 when a finding is at or above {@code --fail-on}; 2 for usage errors (including a {@code --set}
 * naming an unknown rule or threshold); 3 when no input was usable. Every input that cannot be used gets one line on
 * stderr, and the others are still analysed.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Detect, ingest and diagnose artifacts (JFR, heap dumps, NMT, jemalloc, GC logs, ...).")
public final class AnalyzeCommand extends BaseCommand {

    @Parameters(arity = "1..*", paramLabel = "<file|dir>", description = "Artifacts, or directories of them.")
    List<Path> inputs;

    @ArgGroup(exclusive = true)
    StdoutFormat format = new StdoutFormat();

    static final class StdoutFormat {
        @Option(names = "--json", description = "Print the findings JSON instead of text.")
        boolean json;
        @Option(names = "--markdown", description = "Print Markdown instead of text.")
        boolean markdown;
    }

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report.")
    Path html;

    @Option(names = "--sarif", paramLabel = "FILE", description = "Also write SARIF 2.1.0 (for CI annotations).")
    Path sarif;

    @Option(names = "--fail-on", paramLabel = "info|warning|critical",
            converter = SeverityConverter.class, description = "Exit 1 when a finding is at or above this severity.")
    Severity failOn;

    @Mixin
    WorkspaceOptions workspace;

    @Option(names = "--run", paramLabel = "NAME", description = "Name of the stored run (default: generated).")
    String runName;

    @Option(names = "--baseline", paramLabel = "RUN|FILE",
            description = "Compare with a stored run (id or name) or with artifact files.")
    String baseline;

    @Option(names = "--jmc-rules", description = "Also run JDK Mission Control 9.1.2's rules on the JFR recordings "
            + "and report their results as findings (ids jmc.*, \"source\": \"jmc\"). JMC loads each recording whole "
            + "into memory (about 12x its size): give big recordings room, e.g. HOTPATH_JAVA_OPTS=-Xmx4g.")
    boolean jmcRules;

    @Option(names = "--set", paramLabel = "RULE.THRESHOLD=VALUE",
            description = "Override a rule threshold, e.g. --set gc.long-pauses.maxPauseMs=200 (repeatable).")
    List<String> settings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Analyzer analyzer = Analyzer.withInstalledPlugins();
        RuleSettings ruleSettings;
        try {
            ruleSettings = RuleSettings.parse(settings, analyzer.rules());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        List<Summary> baselineSummaries = baseline == null ? List.of() : resolveBaseline(analyzer);

        Analysis analysis = analyzer.analyze(inputs, new AnalysisOptions(runName, ruleSettings, baselineSummaries));
        for (Problem p : analysis.problems()) {
            err().println(p.line());
            if (verbose() && p.cause() != null) {
                p.cause().printStackTrace(err());
            }
        }
        if (!analysis.usable()) {
            err().flush();
            return ExitCodes.UNUSABLE_INPUT;
        }

        Run run = analysis.run();
        if (jmcRules) {
            run = dev.hotpath.analyzer.jfr.jmc.JmcRules.addTo(run);
        }
        String storeFailure = null;
        try (WorkspaceStore store = WorkspaceStore.open(workspace.location())) {
            run = run.withId(store.save(run));
        } catch (StoreException e) {
            // The report is still worth printing; the failure is one line after it, and exit 3 says the run is not kept.
            storeFailure = "hotpath: run not stored: " + e.getMessage();
            if (verbose()) {
                e.printStackTrace(err());
            }
        }

        if (format.json) {
            out().print(JsonReport.render(run));
        } else if (format.markdown) {
            out().print(MarkdownReport.render(run));
        } else {
            out().print(TextReport.render(run, HotpathCommand.stdoutIsTerminal()));
        }
        out().flush();
        if (html != null) {
            write(html, HtmlReport.render(run));
        }
        if (sarif != null) {
            write(sarif, SarifReport.render(run, analyzer.rules(), VersionProvider.version()));
        }
        if (storeFailure != null) {
            err().println(storeFailure);
            err().flush();
            return ExitCodes.UNUSABLE_INPUT;
        }
        err().flush();
        if (failOn != null) {
            for (Finding f : run.findings()) {
                if (f.severity().atLeast(failOn)) {
                    return ExitCodes.FINDINGS;
                }
            }
        }
        return ExitCodes.OK;
    }

    /**
     * {@code --baseline}: an existing path is read as artifacts (ingested, no rules); anything else names a stored run,
     * whose artifacts are re-read from where they were when they still have the same SHA-256.
     */
    private List<Summary> resolveBaseline(Analyzer analyzer) throws StoreException, UnusableInputException {
        Path asPath = Path.of(baseline);
        if (Files.exists(asPath)) {
            Analysis b = analyzer.summarize(List.of(asPath));
            if (!b.usable()) {
                String why = b.problems().isEmpty() ? "nothing usable" : b.problems().get(0).line();
                throw new CommandFailedException("baseline " + baseline + ": " + why, ExitCodes.UNUSABLE_INPUT);
            }
            return b.allSummaries();
        }
        Optional<Run> stored;
        try (WorkspaceStore store = WorkspaceStore.open(workspace.location())) {
            stored = store.load(baseline);
        }
        if (stored.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--baseline " + baseline
                    + ": no such file, and no run with that id or name in " + workspace.location());
        }
        List<Path> still = new ArrayList<>();
        for (Artifact a : stored.get().artifacts()) {
            if (Files.isRegularFile(a.path()) && sameContent(a)) {
                still.add(a.path());
            }
        }
        if (still.isEmpty()) {
            throw new CommandFailedException("baseline run " + baseline + ": none of its "
                    + stored.get().artifacts().size() + " artifacts is still on disk unchanged", ExitCodes.UNUSABLE_INPUT);
        }
        return analyzer.summarize(still).allSummaries();
    }

    private static boolean sameContent(Artifact a) {
        try {
            return Files.size(a.path()) == a.sizeBytes()
                    && (a.sha256() == null || a.sha256().equals(Fingerprint.sha256(a.path())));
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandFailedException("hotpath: cannot write " + file + ": " + e, ExitCodes.UNUSABLE_INPUT, e);
        }
    }

    /** {@code info|warning|critical}, case-insensitive; anything else is a usage error naming the choices. */
    static final class SeverityConverter implements picocli.CommandLine.ITypeConverter<Severity> {
        @Override
        public Severity convert(String value) {
            try {
                return Severity.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
