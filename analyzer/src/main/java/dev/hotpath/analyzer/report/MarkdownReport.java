package dev.hotpath.analyzer.report;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;

import java.util.List;
import java.util.Map;

/**
 * Markdown for pull-request comments and wikis: findings by severity, evidence as a table, artifacts as a table.
 * Artifact-derived text is escaped so a method name like {@code lambda$0|x} or {@code <init>} cannot break the table
 * or turn into markup.
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(Run run) {
        StringBuilder sb = new StringBuilder();
        sb.append("# hotpath findings: ").append(esc(run.name())).append("\n\n");
        sb.append(TextReport.plural(run.artifacts().size(), "artifact")).append(", ")
                .append(TextReport.plural(run.findings().size(), "finding"))
                .append(" (").append(run.count(Severity.CRITICAL)).append(" critical, ")
                .append(run.count(Severity.WARNING)).append(" warning, ")
                .append(run.count(Severity.INFO)).append(" info)\n");
        for (Severity s : new Severity[]{Severity.CRITICAL, Severity.WARNING, Severity.INFO}) {
            List<Finding> group = run.findings().stream().filter(f -> f.severity() == s).toList();
            if (group.isEmpty()) {
                continue;
            }
            sb.append("\n## ").append(capitalised(s)).append("\n");
            for (Finding f : group) {
                sb.append("\n### ").append(esc(f.title())).append("\n\n");
                sb.append("`").append(f.id().replace("`", "'")).append("` · ").append(f.category().id())
                        .append(" · sources: ").append(esc(String.join(", ", f.sources()))).append("\n\n");
                if (!f.summary().isEmpty()) {
                    sb.append(esc(f.summary())).append("\n\n");
                }
                if (!f.evidence().isEmpty()) {
                    sb.append("| evidence | value |\n|---|---|\n");
                    for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
                        sb.append("| ").append(cell(e.getKey())).append(" | ").append(cell(Evidence.format(e.getValue())))
                                .append(" |\n");
                    }
                    sb.append('\n');
                }
                if (!f.recommendation().isEmpty()) {
                    sb.append("**Recommendation:** ").append(esc(f.recommendation())).append("\n");
                }
            }
        }
        if (!run.artifacts().isEmpty()) {
            sb.append("\n## Artifacts\n\n| type | path | bytes | sha256 |\n|---|---|---:|---|\n");
            for (Artifact a : run.artifacts()) {
                sb.append("| ").append(a.type().id()).append(" | ").append(cell(a.path().toString())).append(" | ")
                        .append(a.sizeBytes()).append(" | `").append(a.sha256()).append("` |\n");
            }
        }
        if (!run.notes().isEmpty()) {
            sb.append("\n## Notes\n\n");
            for (String n : run.notes()) {
                sb.append("- ").append(esc(n)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String capitalised(Severity s) {
        return Character.toUpperCase(s.id().charAt(0)) + s.id().substring(1);
    }

    /** Escapes Markdown punctuation and HTML's angle brackets (Markdown renderers pass raw HTML through). */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\\', '`', '*', '_', '[', ']', '|', '#' -> sb.append('\\').append(c);
                case '\n', '\r' -> sb.append(' ');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return esc(s);
    }
}
