package dev.hotpath.analyzer.rules;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Threshold overrides from {@code --set <ruleId>.<threshold>=<value>}. Validated against the declared rules so a typo
 * is a usage error rather than a silently ignored setting.
 */
public final class RuleSettings {
    private final Map<String, Double> overrides = new HashMap<>();

    public static RuleSettings defaults() {
        return new RuleSettings();
    }

    /**
     * Parses and validates assignments such as {@code gc.long-pauses.p99PauseMs=150}.
     *
     * @throws IllegalArgumentException naming the assignment and the reason (unknown rule, unknown threshold, not a number)
     */
    public static RuleSettings parse(List<String> assignments, Collection<Rule> rules) {
        RuleSettings settings = new RuleSettings();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            int dot = eq < 0 ? -1 : a.lastIndexOf('.', eq);
            if (eq < 0 || dot < 0) {
                throw new IllegalArgumentException("--set " + a + ": expected <rule>.<threshold>=<value>");
            }
            String ruleId = a.substring(0, dot);
            String name = a.substring(dot + 1, eq);
            String value = a.substring(eq + 1).trim();
            Rule rule = rules.stream().filter(r -> r.id().equals(ruleId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--set " + a + ": no rule '" + ruleId + "'"));
            if (rule.thresholds().stream().noneMatch(t -> t.name().equals(name))) {
                throw new IllegalArgumentException("--set " + a + ": rule " + ruleId + " has no threshold '" + name
                        + "' (it has " + rule.thresholds().stream().map(Threshold::name).toList() + ")");
            }
            try {
                settings.overrides.put(ruleId + "." + name, Double.parseDouble(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--set " + a + ": '" + value + "' is not a number");
            }
        }
        return settings;
    }

    /** The effective value of a rule's threshold. */
    public double value(Rule rule, String name) {
        Double v = overrides.get(rule.id() + "." + name);
        if (v != null) {
            return v;
        }
        for (Threshold t : rule.thresholds()) {
            if (t.name().equals(name)) {
                return t.defaultValue();
            }
        }
        throw new IllegalArgumentException("rule " + rule.id() + " declares no threshold '" + name + "'");
    }
}
