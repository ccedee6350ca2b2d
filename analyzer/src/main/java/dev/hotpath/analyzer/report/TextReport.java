package dev.hotpath.analyzer.report;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;

import java.util.List;
import java.util.Map;

/**
 * The terminal report: a one-line header, findings grouped by severity (worst first) with their evidence,
 * recommendation and sources, then the artifacts read and any notes. ANSI colours only when asked (the CLI asks
 * when stdout is a terminal).
 */
public final class TextReport {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";

    private TextReport() {
    }

    public static String render(Run run, boolean colour) {
        StringBuilder sb = new StringBuilder();
        sb.append("hotpath: run ").append(run.name()).append(run.id() == null ? "" : " (id " + run.id() + ")").append(": ")
                .append(plural(run.artifacts().size(), "artifact")).append(", ")
                .append(plural(run.findings().size(), "finding"));
        if (!run.findings().isEmpty()) {
            sb.append(" (").append(run.count(Severity.CRITICAL)).append(" critical, ")
                    .append(run.count(Severity.WARNING)).append(" warning, ")
                    .append(run.count(Severity.INFO)).append(" info)");
        }
        sb.append('\n');
        for (Severity s : new Severity[]{Severity.CRITICAL, Severity.WARNING, Severity.INFO}) {
            List<Finding> group = run.findings().stream().filter(f -> f.severity() == s).toList();
            if (group.isEmpty()) {
                continue;
            }
            sb.append('\n').append(paint(s.name() + " (" + group.size() + ")", colour(s), colour)).append('\n');
            for (Finding f : group) {
                sb.append("  ").append(paint("[" + f.id() + "]", BOLD, colour)).append(' ').append(f.title()).append('\n');
                if (!f.summary().isEmpty()) {
                    sb.append("    ").append(f.summary()).append('\n');
                }
                for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
                    sb.append("    ").append(e.getKey()).append(": ").append(Evidence.format(e.getValue())).append('\n');
                }
                if (!f.recommendation().isEmpty()) {
                    sb.append("    → ").append(f.recommendation()).append('\n');
                }
                if (!f.sources().isEmpty()) {
                    sb.append("    sources: ").append(String.join(", ", f.sources())).append('\n');
                }
            }
        }
        if (!run.artifacts().isEmpty()) {
            sb.append("\nartifacts:\n");
            for (Artifact a : run.artifacts()) {
                sb.append("  ").append(String.format("%-18s", a.type().id())).append(' ').append(a.path())
                        .append(" (").append(a.sizeBytes()).append(" bytes)").append('\n');
            }
        }
        if (!run.notes().isEmpty()) {
            sb.append("\nnotes:\n");
            for (String n : run.notes()) {
                sb.append("  ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    private static String colour(Severity s) {
        return switch (s) {
            case CRITICAL -> "\u001b[1;31m";
            case WARNING -> "\u001b[1;33m";
            case INFO -> "\u001b[1;36m";
        };
    }

    private static String paint(String text, String code, boolean colour) {
        return colour ? code + text + RESET : text;
    }

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
