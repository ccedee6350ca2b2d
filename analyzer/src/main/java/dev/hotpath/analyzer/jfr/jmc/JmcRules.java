package dev.hotpath.analyzer.jfr.jmc;

import dev.hotpath.analyzer.jfr.JfrIngester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.ResultToolkit;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * JDK Mission Control's own rules ({@code org.openjdk.jmc:flightrecorder.rules.jdk} 9.1.2, as the JMC desktop
 * application runs them) over a run's JFR recordings, each result that JMC rates INFO or WARNING mapped to a finding
 * ({@code hotpath analyze --jmc-rules}). The recordings of one JVM (rotated files, dumps) are loaded together, as
 * hotpath reads them as one recording.
 *
 * <p>Mapping: id {@code jmc.<RuleId>}; severity from JMC's score (0–100): ≥ 75 (JMC's WARNING) → warning,
 * ≥ 25 (JMC's INFO) → info; results JMC rates OK, N/A or ignored are left out. JMC has no level above WARNING, so a
 * JMC result is never critical. Category from the rule's topic; title the rule's name; summary JMC's summary and
 * explanation; recommendation JMC's solution; evidence the score, the rule's id and topic.
 *
 * <p>JMC's loader holds every event of the recordings in memory (JfrIngestBench measured a peak RSS of 12–16×
 * the file's size), unlike hotpath's streaming reader.
 */
public final class JmcRules {
    /** Marks the findings of this class in {@code Finding.id}; the findings JSON adds {@code "source": "jmc"}. */
    public static final String ID_PREFIX = "jmc.";

    private JmcRules() {
    }

    /** {@code run} with JMC's findings appended (after hotpath's) and one note per recording read or refused. */
    public static Run addTo(Run run) {
        Map<String, List<Artifact>> byJvm = new LinkedHashMap<>();
        JfrIngester jfr = new JfrIngester(1);
        for (Artifact a : run.artifacts()) {
            if (a.type() != ArtifactType.JFR && a.type() != ArtifactType.ASYNC_PROFILER_JFR) {
                continue;
            }
            String key;
            try {
                key = jfr.processKey(a);
            } catch (IOException e) {
                key = null;
            }
            byJvm.computeIfAbsent(key == null ? a.path().toString() : key, k -> new ArrayList<>()).add(a);
        }
        if (byJvm.isEmpty()) {
            return run;
        }
        List<Finding> findings = new ArrayList<>(run.findings());
        List<String> notes = new ArrayList<>(run.notes());
        for (List<Artifact> group : byJvm.values()) {
            List<String> names = group.stream().map(Artifact::sourceName).toList();
            try {
                List<Finding> got = evaluate(group.stream().map(a -> a.path().toFile()).toList(), names);
                findings.addAll(got);
                notes.add(String.join(", ", names) + ": JDK Mission Control's " + RuleRegistry.getRules().size()
                        + " rules ran (their recording loaded whole into memory); " + got.size() + " findings");
            } catch (Exception e) {
                notes.add(String.join(", ", names) + ": JDK Mission Control's rules could not run: " + e);
            }
        }
        return new Run(run.id(), run.name(), run.createdAt(), run.artifacts(), findings, run.summaries(), notes);
    }

    /** JMC's findings for the recording(s) of one JVM, ordered by severity (worst first), then by rule id. */
    public static List<Finding> evaluate(List<File> files, List<String> sourceNames) throws Exception {
        IItemCollection items = JfrLoaderToolkit.loadEvents(files);
        Collection<IRule> rules = RuleRegistry.getRules();
        Map<IRule, Future<IResult>> results = RulesToolkit.evaluateParallel(rules, items,
                IPreferenceValueProvider.DEFAULT_VALUES, Math.max(1, Runtime.getRuntime().availableProcessors()));
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<IRule, Future<IResult>> e : results.entrySet()) {
            IResult r;
            try {
                r = e.getValue().get();
            } catch (ExecutionException failed) {
                continue; // one JMC rule failing on a recording says nothing about the recording
            }
            Finding f = toFinding(r, sourceNames);
            if (f != null) {
                out.add(f);
            }
        }
        out.sort(Comparator.comparing((Finding f) -> f.severity() == Severity.WARNING ? 0 : 1)
                .thenComparing(Finding::id));
        return out;
    }

    /** One JMC result as a finding, or {@code null} for results JMC rates OK, N/A or ignored. */
    static Finding toFinding(IResult r, List<String> sourceNames) {
        org.openjdk.jmc.flightrecorder.rules.Severity js = r.getSeverity();
        if (js != org.openjdk.jmc.flightrecorder.rules.Severity.INFO
                && js != org.openjdk.jmc.flightrecorder.rules.Severity.WARNING) {
            return null;
        }
        IQuantity q = r.getResult(TypedResult.SCORE);
        double score = q == null ? js.getLimit() : q.doubleValue();
        IRule rule = r.getRule();
        String summary = text(r, r.getSummary());
        String explanation = text(r, r.getExplanation());
        return Finding.builder(ID_PREFIX + rule.getId(), category(rule.getTopic()))
                .severity(severity(score))
                .title(rule.getName() + (summary.isEmpty() ? "" : ": " + summary))
                .summary(explanation.isEmpty() ? summary : summary + " " + explanation)
                .recommendation(text(r, r.getSolution()))
                .evidence("score", Math.round(score * 10) / 10.0)
                .evidence("jmcSeverity", js.name())
                .evidence("jmcRule", rule.getId())
                .evidence("jmcTopic", rule.getTopic())
                .sources(sourceNames)
                .build();
    }

    /** JMC's score to hotpath's severity: ≥ 75 warning (JMC's own WARNING limit), else info. */
    static Severity severity(double score) {
        return score >= 75 ? Severity.WARNING : Severity.INFO;
    }

    /** JMC's texts carry {@code {placeholders}} for the result's values; plain text (not HTML) with them filled. */
    private static String text(IResult r, String template) {
        if (template == null || template.isBlank()) {
            return "";
        }
        String s = ResultToolkit.populateMessage(r, template, false);
        // JMC's message bundles double apostrophes for MessageFormat even where the text is not formatted by it
        return s == null ? "" : s.replace("''", "'").replaceAll("\\s+", " ").trim();
    }

    /** JMC's rule topics ({@code JfrRuleTopics}) to hotpath's categories. */
    static Category category(String topic) {
        String t = topic == null ? "" : topic;
        return switch (t) {
            case "garbage_collection", "gc_configuration", "gc_summary" -> Category.GC;
            case "heap", "memoryleak" -> Category.HEAP;
            case "tlab" -> Category.ALLOCATION;
            case "lock_instances", "biased_locking" -> Category.LOCKS;
            case "file_io", "socket_io" -> Category.IO;
            case "threads", "exceptions", "thread_dumps" -> Category.THREADS;
            case "method_profiling", "compilations", "code_cache", "vm_operations", "java_application", "processes" ->
                    Category.CPU;
            default -> Category.CONFIG;
        };
    }
}
