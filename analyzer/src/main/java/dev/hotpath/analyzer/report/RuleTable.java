package dev.hotpath.analyzer.report;

import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.Threshold;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * The Markdown table of rules and their thresholds that README shows, generated from the rules' declarations so the
 * documentation cannot drift from the code (README's copy is checked by a test in the CLI module).
 */
public final class RuleTable {
    private RuleTable() {
    }

    public static String markdown(List<Rule> rules) {
        StringBuilder sb = new StringBuilder();
        sb.append("| rule | category | what it finds | threshold (`--set rule.threshold=value`) | default | unit |\n");
        sb.append("|---|---|---|---|---:|---|\n");
        rules.stream().sorted(Comparator.comparing(Rule::id)).forEach(r -> {
            List<Threshold> ts = r.thresholds();
            if (ts.isEmpty()) {
                sb.append("| `").append(r.id()).append("` | ").append(r.category().id()).append(" | ")
                        .append(cell(r.description())).append(" | — | | |\n");
            }
            for (int i = 0; i < ts.size(); i++) {
                Threshold t = ts.get(i);
                sb.append("| ").append(i == 0 ? "`" + r.id() + "`" : "").append(" | ")
                        .append(i == 0 ? r.category().id() : "").append(" | ")
                        .append(i == 0 ? cell(r.description()) : "").append(" | `").append(t.name()).append("`: ")
                        .append(cell(t.description())).append(" | ")
                        .append(BigDecimal.valueOf(t.defaultValue()).stripTrailingZeros().toPlainString())
                        .append(" | ").append(cell(t.unit())).append(" |\n");
            }
        });
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
