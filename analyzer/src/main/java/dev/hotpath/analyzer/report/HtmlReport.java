package dev.hotpath.analyzer.report;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import org.owasp.encoder.Encode;

import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML file (inline CSS, no scripts, no external resources) to attach to a ticket. Every string
 * that comes from an artifact or a finding (class and method names, paths, evidence) goes through the OWASP encoder:
 * a frame named {@code <script>} must print as text.
 */
public final class HtmlReport {
    private static final String CSS = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}
            h1{font-size:1.5em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em}
            .finding{border-left:4px solid #999;padding:.3em 1em;margin:1em 0;background:#fafafa}
            .critical{border-color:#c62828}.warning{border-color:#ef8f00}.info{border-color:#0277bd}
            .id{font-family:monospace;color:#555}table{border-collapse:collapse;margin:.5em 0}
            td,th{border:1px solid #ddd;padding:.2em .6em;text-align:left;vertical-align:top}
            td.v{font-family:monospace;white-space:pre-wrap;word-break:break-all}
            """;

    private HtmlReport() {
    }

    public static String render(Run run) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>hotpath: ")
                .append(h(run.name())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>hotpath findings: ").append(h(run.name())).append("</h1>\n");
        sb.append("<p>").append(TextReport.plural(run.artifacts().size(), "artifact")).append(", ")
                .append(TextReport.plural(run.findings().size(), "finding")).append(" (")
                .append(run.count(Severity.CRITICAL)).append(" critical, ").append(run.count(Severity.WARNING))
                .append(" warning, ").append(run.count(Severity.INFO)).append(" info); created ")
                .append(h(run.createdAt().toString())).append("</p>\n");
        for (Severity s : new Severity[]{Severity.CRITICAL, Severity.WARNING, Severity.INFO}) {
            List<Finding> group = run.findings().stream().filter(f -> f.severity() == s).toList();
            if (group.isEmpty()) {
                continue;
            }
            sb.append("<h2>").append(s.id()).append(" (").append(group.size()).append(")</h2>\n");
            for (Finding f : group) {
                sb.append("<div class=\"finding ").append(s.id()).append("\">\n<h3>").append(h(f.title()))
                        .append("</h3>\n<p class=\"id\">").append(h(f.id())).append(" · ").append(f.category().id())
                        .append(" · sources: ").append(h(String.join(", ", f.sources()))).append("</p>\n");
                if (!f.summary().isEmpty()) {
                    sb.append("<p>").append(h(f.summary())).append("</p>\n");
                }
                if (!f.evidence().isEmpty()) {
                    sb.append("<table>\n");
                    for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
                        sb.append("<tr><th>").append(h(e.getKey())).append("</th><td class=\"v\">")
                                .append(h(Evidence.format(e.getValue()))).append("</td></tr>\n");
                    }
                    sb.append("</table>\n");
                }
                if (!f.recommendation().isEmpty()) {
                    sb.append("<p><strong>Recommendation:</strong> ").append(h(f.recommendation())).append("</p>\n");
                }
                sb.append("</div>\n");
            }
        }
        if (!run.artifacts().isEmpty()) {
            sb.append("<h2>artifacts</h2>\n<table>\n<tr><th>type</th><th>path</th><th>bytes</th><th>sha256</th></tr>\n");
            for (Artifact a : run.artifacts()) {
                sb.append("<tr><td>").append(a.type().id()).append("</td><td class=\"v\">").append(h(a.path().toString()))
                        .append("</td><td>").append(a.sizeBytes()).append("</td><td class=\"v\">").append(h(a.sha256()))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        if (!run.notes().isEmpty()) {
            sb.append("<h2>notes</h2>\n<ul>\n");
            for (String n : run.notes()) {
                sb.append("<li>").append(h(n)).append("</li>\n");
            }
            sb.append("</ul>\n");
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static String h(String s) {
        return Encode.forHtml(s == null ? "" : s);
    }
}
