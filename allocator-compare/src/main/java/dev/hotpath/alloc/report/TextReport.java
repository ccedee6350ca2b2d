package dev.hotpath.alloc.report;

import dev.hotpath.alloc.run.Metric;
import dev.hotpath.alloc.run.RunResult;
import dev.hotpath.alloc.stats.Comparison;
import dev.hotpath.alloc.stats.Descriptive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human-readable report: medians with spread per variant, the verdicts, then failed runs with their stderr tail. */
public final class TextReport {
    private TextReport() {
    }

    public static String render(ComparisonReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("allocator comparison: ").append(r.runsPerVariant()).append(r.runsPerVariant() == 1 ? " run" : " runs")
                .append(" per variant");
        if (r.warmup() > 0) {
            sb.append(" after ").append(r.warmup()).append(" warm-up round").append(r.warmup() == 1 ? "" : "s");
        }
        sb.append(", order randomised each round (seed ").append(r.seed()).append(")\n");
        sb.append("command: ").append(r.command()).append("\n\n");

        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("variant", "library"));
        for (Metric m : r.metrics()) {
            header.add(m.label() + " (median \u00b1 IQR)");
        }
        header.add("failed");
        rows.add(header.toArray(new String[0]));
        for (VariantResult v : r.variants()) {
            List<String> row = new ArrayList<>(List.of(v.name(), v.library() == null ? "(libc malloc)" : v.library()));
            for (Metric m : r.metrics()) {
                double[] x = m.values(v.runs());
                row.add(x.length == 0 ? "-" : format(m, Descriptive.median(x)) + " \u00b1 " + format(m, Descriptive.iqr(x)));
            }
            row.add(v.failedRuns() + "/" + v.runs().size());
            rows.add(row.toArray(new String[0]));
        }
        table(sb, rows);

        if (!r.comparisons().isEmpty()) {
            sb.append("\nverdicts (baseline ").append(r.variants().get(0).name())
                    .append("; 95% CI: percentile bootstrap, 10,000 resamples; p: two-sided Mann\u2013Whitney U");
            if (r.comparisons().size() > 1) {
                sb.append(", Holm-adjusted over ").append(r.comparisons().size()).append(" comparisons");
            }
            if (r.alpha() != 0.05) {
                sb.append("; significance level ").append(r.alpha());
            }
            sb.append("):\n");
            for (Comparison c : r.comparisons()) {
                sb.append("  ").append(c.verdict()).append('\n');
            }
        }
        boolean anyFailed = false;
        for (VariantResult v : r.variants()) {
            for (RunResult run : v.runs()) {
                if (run.usable()) {
                    continue;
                }
                if (!anyFailed) {
                    sb.append("\nfailed runs (left out of the statistics):\n");
                    anyFailed = true;
                }
                sb.append("  ").append(v.name()).append(" round ").append(run.round() + 1).append(": exit code ")
                        .append(run.exitCode()).append('\n');
                if (!run.stderrTail().isEmpty()) {
                    for (String line : run.stderrTail().split("\n")) {
                        sb.append("    | ").append(line).append('\n');
                    }
                }
            }
        }
        if (!r.notes().isEmpty()) {
            sb.append("\nnotes:\n");
            for (String n : r.notes()) {
                sb.append("  - ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    static String format(Metric m, double v) {
        if (m.key().endsWith("Bytes")) {
            return String.format(Locale.ROOT, "%.1f MiB", v / (1024.0 * 1024.0));
        }
        if (m.key().endsWith("Seconds")) {
            return String.format(Locale.ROOT, "%.3f s", v);
        }
        return Math.abs(v) >= 1000 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] row : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(row[i]);
                if (i < cols - 1) {
                    line.append(" ".repeat(w[i] - row[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
