package dev.hotpath.ui;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.store.WorkspaceStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Run analyzers for UI tests. TODO(lead): replace with the analyzer pipeline once it has landed. */
final class TestAnalyzers {
    private TestAnalyzers() {
    }

    static RunAnalyzer storing(WorkspaceStore store) {
        return (files, name) -> {
            List<Artifact> artifacts = new ArrayList<>();
            for (Path f : files) {
                artifacts.add(new Artifact(f, ArtifactType.COLLAPSED, Files.size(f), null, Map.of()));
            }
            Run run = new Run(null, name, Instant.now(), artifacts, List.of(), Map.of(), List.of());
            return run.withId(store.save(run));
        };
    }
}
