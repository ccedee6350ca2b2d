package dev.hotpath.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hotpath.analyzer.heap.HeapEngine;
import dev.hotpath.analyzer.heap.HeapReport;
import dev.hotpath.analyzer.heap.HeapText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code hotpath heap <dump.hprof> [--baseline older.hprof] [--top N] [--json]}: leak suspects, top dominators,
 * growth since a baseline dump, waste and the class histogram. Unusable dumps surface as
 * {@link dev.hotpath.analyzer.model.UnusableInputException} (exit 3 through the top-level error policy).
 */
@Command(name = "heap", mixinStandardHelpOptions = true,
        description = "Analyse a heap dump (HPROF, plain or gzip): leak suspects, dominators, growth, waste, histogram.")
public final class HeapCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DUMP", description = "heap dump (jcmd GC.heap_dump, optionally -gz)")
    Path dump;

    @Option(names = "--baseline", paramLabel = "OLDER", description = "an older dump of the same process: report growth")
    Path baseline;

    @Option(names = "--top", defaultValue = "20", description = "rows of histogram, dominators and growth (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--json", description = "print the Heap JSON (DESIGN.md) instead of text")
    boolean json;

    @Option(names = "--suspect-percent", defaultValue = "10",
            description = "share of the reachable heap a suspect retains at least (default ${DEFAULT-VALUE})")
    double suspectPercent;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "where a gzip dump is decompressed for random access (default: java.io.tmpdir); never beside the dump")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (top < 1) {
            spec.commandLine().getErr().println("--top must be at least 1");
            return USAGE;
        }
        HeapEngine engine = new HeapEngine().top(top).suspectPercent(suspectPercent);
        if (workDir != null) {
            engine.workDir(workDir);
        }
        HeapReport report = engine.analyze(dump, baseline);
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson()));
            out.flush();
        } else {
            HeapText.print(report, out);
        }
        return OK;
    }
}
