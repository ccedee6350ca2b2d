package dev.hotpath.analyzer.rules;

/**
 * A rule's tunable limit. Users override it with {@code --set <ruleId>.<name>=<value>}; README's threshold table is
 * generated from these declarations.
 *
 * @param name         short name, unique within the rule (e.g. {@code p99PauseMs})
 * @param defaultValue the value used when not overridden, in {@code unit}
 * @param unit         unit of the value ({@code ms}, {@code percent}, {@code bytes}, {@code MB/min}, {@code count}...)
 * @param description  one line: what crossing it means
 */
public record Threshold(String name, double defaultValue, String unit, String description) {
}
