package dev.hotpath.ui;

import dev.hotpath.analyzer.model.Run;

import java.nio.file.Path;
import java.util.List;

/**
 * Analyses uploaded artifacts into a run and stores it; the CLI wires this to the analyzer pipeline so that the UI
 * does not depend on how a run is made.
 */
@FunctionalInterface
public interface RunAnalyzer {
    /**
     * @return the stored run (with its id)
     * @throws dev.hotpath.analyzer.model.UnusableInputException when none of the files is a known artifact
     */
    Run analyzeAndStore(List<Path> files, String runName) throws Exception;
}
