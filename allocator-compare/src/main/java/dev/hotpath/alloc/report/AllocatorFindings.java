package dev.hotpath.alloc.report;

import dev.hotpath.alloc.run.RunResult;
import dev.hotpath.alloc.stats.Comparison;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code allocator} findings from a comparison.
 * <ul>
 *   <li>{@code allocator.change} (info): one per comparison whose change is significant; the title is the verdict.</li>
 *   <li>{@code allocator.memory-win} (info): a variant that lowers peak or end RSS, with what it does to CPU time, wall
 *       time and the workload's own metrics ("… with no measurable change in CPU time"); the recommendation names the
 *       library and environment to use.</li>
 *   <li>{@code allocator.no-difference} (info): a variant with no significant change on any metric, with the smallest
 *       change on peak RSS the experiment could have detected.</li>
 *   <li>{@code allocator.failed-runs} (warning): a variant some of whose runs failed; exit codes and the last stderr tail.</li>
 * </ul>
 * Evidence keys carry units ({@code Percent}, {@code Bytes}, {@code Seconds}); every number in a title is in the evidence.
 */
public final class AllocatorFindings {
    public static final String SOURCE = "allocator-comparison";

    private AllocatorFindings() {
    }

    public static List<Finding> from(ComparisonReport report) {
        List<Finding> out = new ArrayList<>();
        Map<String, List<Comparison>> byVariant = new LinkedHashMap<>();
        for (Comparison c : report.comparisons()) {
            byVariant.computeIfAbsent(c.variant(), k -> new ArrayList<>()).add(c);
        }
        for (Comparison c : report.comparisons()) {
            if (c.outcome().significant()) {
                out.add(evidence(Finding.builder("allocator.change", Category.ALLOCATOR), c)
                        .title(c.verdict())
                        .summary("Measured over " + c.nBaseline() + " runs of " + c.baseline() + " and " + c.nVariant()
                                + " runs of " + c.variant() + ", interleaved in a randomised order.")
                        .build());
            }
        }
        for (Map.Entry<String, List<Comparison>> e : byVariant.entrySet()) {
            VariantResult v = variant(report, e.getKey());
            // peak RSS sizes the container; end RSS (what stays resident) is the fallback headline
            Comparison memory = lower(e.getValue(), "peakRssBytes");
            if (memory == null) {
                memory = lower(e.getValue(), "endRssBytes");
            }
            if (memory != null) {
                out.add(memoryWin(report, v, memory, e.getValue()));
            } else if (e.getValue().stream().noneMatch(c -> c.outcome().significant())) {
                Comparison peak = e.getValue().stream().filter(c -> c.metric().equals("peakRssBytes")).findFirst().orElse(null);
                if (peak != null && peak.outcome() == Comparison.Outcome.NO_DIFFERENCE) {
                    out.add(evidence(Finding.builder("allocator.no-difference", Category.ALLOCATOR), peak)
                            .title(peak.verdict())
                            .summary("No compared metric (" + e.getValue().stream().map(Comparison::label)
                                    .collect(Collectors.joining(", ")) + ") differs significantly between "
                                    + v.name() + " and " + peak.baseline() + ".")
                            .recommendation("Keep the current allocator for this workload, or run more rounds if a "
                                    + "smaller change matters.")
                            .build());
                }
            }
        }
        for (VariantResult v : report.variants()) {
            long failed = v.failedRuns();
            if (failed == 0) {
                continue;
            }
            List<RunResult> bad = v.runs().stream().filter(r -> !r.usable()).collect(Collectors.toList());
            List<Integer> codes = bad.stream().map(RunResult::exitCode).distinct().collect(Collectors.toList());
            out.add(Finding.builder("allocator.failed-runs", Category.ALLOCATOR)
                    .severity(Severity.WARNING)
                    .title(failed + " of " + v.runs().size() + " runs of " + v.name() + " failed (exit code "
                            + codes.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")
                    .summary("Failed runs are kept in the report but left out of the statistics.")
                    .evidence("variant", v.name())
                    .evidence("failedRuns", failed)
                    .evidence("runs", v.runs().size())
                    .evidence("exitCodes", codes)
                    .evidence("stderrTail", bad.get(bad.size() - 1).stderrTail())
                    .recommendation("Read the stderr tail; a crash only under one allocator can be a heap-corruption bug "
                            + "in the workload that the other allocator hides.")
                    .source(SOURCE)
                    .build());
        }
        return out;
    }

    private static Finding memoryWin(ComparisonReport report, VariantResult v, Comparison memory, List<Comparison> all) {
        List<String> unchanged = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unclear = new ArrayList<>();
        for (Comparison c : all) {
            if (c == memory) {
                continue;
            }
            switch (c.outcome()) {
                case NO_DIFFERENCE:
                    unchanged.add(c.label());
                    break;
                case LOWER:
                case HIGHER:
                    changed.add(c.verdict().substring(c.variant().length() + 1).replaceFirst(" \\(.*", ""));
                    break;
                default:
                    unclear.add(c.label());
            }
        }
        StringBuilder title = new StringBuilder(memory.verdict());
        if (!unchanged.isEmpty()) {
            title.append(" with no measurable change in ").append(join(unchanged));
        }
        for (String clause : changed) {
            title.append("; it also ").append(clause);
        }
        if (!unclear.isEmpty()) {
            title.append(" (").append(join(unclear)).append(": inconclusive)");
        }
        String how = (v.library() == null ? "" : "LD_PRELOAD=" + v.library())
                + v.env().entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining());
        return evidence(Finding.builder("allocator.memory-win", Category.ALLOCATOR), memory)
                .title(title.toString())
                .summary(all.stream().map(Comparison::verdict).collect(Collectors.joining("; ")))
                .evidence("library", v.library())
                .evidence("env", v.env())
                .recommendation("Run the service with " + how.trim() + " and confirm the saving under production load "
                        + "(this workload: " + report.command() + ").")
                .build();
    }

    private static Comparison lower(List<Comparison> cs, String metric) {
        return cs.stream().filter(c -> c.metric().equals(metric) && c.outcome() == Comparison.Outcome.LOWER)
                .findFirst().orElse(null);
    }

    private static Finding.Builder evidence(Finding.Builder b, Comparison c) {
        return b.evidence("baseline", c.baseline())
                .evidence("variant", c.variant())
                .evidence("metric", c.metric())
                .evidence("changePercent", pct(c.change()))
                .evidence("ci95LowPercent", pct(c.ciLow()))
                .evidence("ci95HighPercent", pct(c.ciHigh()))
                .evidence("pValue", finite(c.pValue()))
                .evidence("pValueAdjusted", finite(c.pValueAdjusted()))
                .evidence("smallestDetectableChangePercent", Double.isFinite(c.detectable()) ? pct(c.detectable()) : null)
                .evidence("baselineMedian", finite(c.baselineMedian()))
                .evidence("variantMedian", finite(c.variantMedian()))
                .evidence("baselineRuns", c.nBaseline())
                .evidence("variantRuns", c.nVariant())
                .source(SOURCE);
    }

    /** Evidence must stay JSON: NaN and infinities become null. */
    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    private static Double pct(double fraction) {
        return Double.isFinite(fraction) ? Math.round(fraction * 10000) / 100.0 : null;
    }

    private static VariantResult variant(ComparisonReport r, String name) {
        return r.variants().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    private static String join(List<String> parts) {
        if (parts.size() <= 1) {
            return String.join("", parts);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
    }
}
