package dev.hotpath.ui;

import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.store.WorkspaceStore;

/** The UI tests analyse uploads with the real pipeline and its installed ingesters and rules. */
final class TestAnalyzers {
    private TestAnalyzers() {
    }

    static RunAnalyzer storing(WorkspaceStore store) {
        return new PipelineRunAnalyzer(Analyzer.withInstalledPlugins(), store);
    }
}
