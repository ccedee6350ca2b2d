package dev.hotpath.analyzer.jfr.testkit;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.RuleSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Minimal ingest and rule contexts for tests (the real pipeline belongs to the core module's owner). */
public final class Contexts {
    private Contexts() {
    }

    public static Artifact artifact(Path file, ArtifactType type) throws IOException {
        return new Artifact(file.toAbsolutePath(), type, Files.size(file), null, Map.of());
    }

    public static final class Ingested implements IngestContext {
        public final List<Summary> summaries = new ArrayList<>();
        public final List<String> notes = new ArrayList<>();

        @Override
        public synchronized void add(Summary summary) {
            summaries.add(summary);
        }

        @Override
        public synchronized void note(String line) {
            notes.add(line);
        }

        public <T extends Summary> T one(Class<T> type) {
            List<T> all = summaries.stream().filter(type::isInstance).map(type::cast).toList();
            if (all.size() != 1) {
                throw new AssertionError("expected one " + type.getSimpleName() + ", got " + all.size());
            }
            return all.get(0);
        }
    }

    public static Ingested ingest(Ingester ingester, Path file, ArtifactType type)
            throws IOException, UnusableInputException {
        Ingested ctx = new Ingested();
        ingester.ingest(artifact(file, type), ctx);
        return ctx;
    }

    /** Evaluates one rule over summaries (and optional baseline), with {@code --set}-style overrides. */
    public static List<Finding> evaluate(Rule rule, List<? extends Summary> summaries,
                                         List<? extends Summary> baseline, String... sets) {
        RuleSettings settings = RuleSettings.parse(Arrays.asList(sets), List.of(rule));
        List<Finding> out = new ArrayList<>();
        rule.evaluate(new RuleContext() {
            @Override
            public <T extends Summary> List<T> summaries(Class<T> type) {
                return summaries.stream().filter(type::isInstance).map(type::cast).toList();
            }

            @Override
            public double threshold(String name) {
                return settings.value(rule, name);
            }

            @Override
            public <T extends Summary> List<T> baselineSummaries(Class<T> type) {
                return baseline.stream().filter(type::isInstance).map(type::cast).toList();
            }

            @Override
            public void emit(Finding finding) {
                out.add(finding);
            }
        });
        return out;
    }

    public static List<Finding> evaluate(Rule rule, List<? extends Summary> summaries, String... sets) {
        return evaluate(rule, summaries, List.of(), sets);
    }
}
