package dev.hotpath.ui;

import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.pipeline.Analysis;
import dev.hotpath.analyzer.pipeline.AnalysisOptions;
import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.pipeline.Problem;
import dev.hotpath.analyzer.store.WorkspaceStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads go through the same pipeline as {@code hotpath analyze}: detection by content, ingesters, rules; inputs that
 * cannot be used become notes of the run, and an upload with nothing usable is refused with their one-line reasons.
 */
public final class PipelineRunAnalyzer implements RunAnalyzer {
    private final Analyzer analyzer;
    private final WorkspaceStore store;

    public PipelineRunAnalyzer(Analyzer analyzer, WorkspaceStore store) {
        this.analyzer = analyzer;
        this.store = store;
    }

    @Override
    public Run analyzeAndStore(List<Path> files, String runName) throws Exception {
        Analysis analysis = analyzer.analyze(files, new AnalysisOptions(runName, null, null));
        if (!analysis.usable()) {
            List<String> reasons = new ArrayList<>();
            for (Problem p : analysis.problems()) {
                reasons.add(p.line());
            }
            throw new UnusableInputException(files.get(0), "nothing usable in the upload: " + String.join("; ", reasons));
        }
        Run run = analysis.run();
        List<String> notes = new ArrayList<>(run.notes());
        for (Problem p : analysis.problems()) {
            notes.add(p.line());
        }
        run = new Run(run.id(), run.name(), run.createdAt(), run.artifacts(), run.findings(), run.summaries(), notes);
        return run.withId(store.save(run));
    }
}
