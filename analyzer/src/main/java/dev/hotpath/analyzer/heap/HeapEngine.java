package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.model.UnusableInputException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Entry point: analyse a dump (and compare it with an older one). The baseline is analysed first and reduced to a
 * {@link HeapDigest}, so that only one object table is in memory at a time.
 */
public final class HeapEngine {
    private Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
    private int top = 20;
    private double suspectPercent = 10.0;
    private boolean waste = true;

    public HeapEngine workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    public HeapEngine top(int n) {
        this.top = n;
        return this;
    }

    public HeapEngine suspectPercent(double p) {
        this.suspectPercent = p;
        return this;
    }

    public HeapEngine waste(boolean on) {
        this.waste = on;
        return this;
    }

    public HeapReport analyze(Path dump) throws IOException, UnusableInputException {
        return analyze(dump, null);
    }

    /** The report and the digest a later dump can be compared with (what the HPROF ingester keeps). */
    public record Result(HeapReport report, HeapDigest digest) {
    }

    public Result analyzeWithDigest(Path dump) throws IOException, UnusableInputException {
        try (HeapAnalysis a = HeapAnalysis.open(dump, workDir, waste)) {
            ReportBuilder rb = new ReportBuilder(a).top(top).suspectPercent(suspectPercent);
            HeapReport report = rb.build(waste);
            return new Result(report, HeapDigest.of(a, rb));
        }
    }

    public HeapReport analyze(Path dump, Path baseline) throws IOException, UnusableInputException {
        HeapDigest older = null;
        java.util.List<String> baselineNotes = java.util.List.of();
        if (baseline != null) {
            try (HeapAnalysis b = HeapAnalysis.open(baseline, workDir)) {
                ReportBuilder rb = new ReportBuilder(b).top(top).suspectPercent(suspectPercent);
                rb.retainedPerClass();
                older = HeapDigest.of(b, rb);
                baselineNotes = b.notes();
            }
        }
        try (HeapAnalysis a = HeapAnalysis.open(dump, workDir, waste)) {
            HeapAnalysis.Timer t = new HeapAnalysis.Timer();
            ReportBuilder rb = new ReportBuilder(a).top(top).suspectPercent(suspectPercent);
            t.lap("holders");
            HeapReport report = rb.build(waste);
            t.lap("report");
            if (older != null) {
                HeapDigest newer = HeapDigest.of(a, rb);
                report = report.withGrowth(Growth.byClass(older, newer, a, rb.holders(), top),
                        Growth.byHolder(older, newer, top));
                if (!baselineNotes.isEmpty()) {
                    java.util.List<String> notes = new java.util.ArrayList<>(report.notes());
                    baselineNotes.forEach(n -> notes.add("baseline " + n));
                    report = new HeapReport(report.dump(), report.objects(), report.classes(), report.shallowBytes(),
                            report.reachableBytes(), report.gcRoots(), report.histogram(), report.dominators(),
                            report.suspects(), report.waste(), report.growth(), report.holderGrowth(), notes);
                }
            }
            return report;
        }
    }
}
