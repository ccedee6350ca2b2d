package dev.hotpath.analyzer.pipeline;

import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.RuleSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The contexts the pipeline hands to ingesters and rules. */
final class Contexts {
    private Contexts() {
    }

    /** Collects one artifact's summaries and notes; thread-safe as IngestContext requires. */
    static final class Ingest implements IngestContext {
        final List<Summary> summaries = Collections.synchronizedList(new ArrayList<>());
        final List<String> notes = Collections.synchronizedList(new ArrayList<>());
        /** Artifacts hashed for an ingester ({@link IngestContext#fingerprinted}), by path. */
        private final Map<Path, Artifact> hashed = new HashMap<>();

        @Override
        public void add(Summary summary) {
            summaries.add(summary);
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }

        @Override
        public synchronized Artifact fingerprinted(Artifact artifact) throws IOException {
            if (artifact.sha256() != null) {
                return artifact;
            }
            Artifact done = hashed.get(artifact.path());
            if (done == null) {
                done = new Artifact(artifact.path(), artifact.type(), artifact.sizeBytes(),
                        Fingerprint.sha256(artifact.path()), artifact.attributes());
                hashed.put(artifact.path(), done);
            }
            return done;
        }
    }

    /** One rule's view: the summaries in its scope, its thresholds, the baseline, and a sink for its findings. */
    static final class Rules implements RuleContext {
        private final Rule rule;
        private final List<Summary> scope;
        private final List<Summary> baseline;
        private final RuleSettings settings;
        final List<Finding> emitted = new ArrayList<>();

        Rules(Rule rule, List<Summary> scope, List<Summary> baseline, RuleSettings settings) {
            this.rule = rule;
            this.scope = scope;
            this.baseline = baseline;
            this.settings = settings;
        }

        @Override
        public <T extends Summary> List<T> summaries(Class<T> type) {
            return filter(scope, type);
        }

        @Override
        public double threshold(String name) {
            return settings.value(rule, name);
        }

        @Override
        public <T extends Summary> List<T> baselineSummaries(Class<T> type) {
            return filter(baseline, type);
        }

        @Override
        public void emit(Finding finding) {
            emitted.add(finding);
        }

        private static <T extends Summary> List<T> filter(List<Summary> all, Class<T> type) {
            List<T> out = new ArrayList<>();
            for (Summary s : all) {
                if (type.isInstance(s)) {
                    out.add(type.cast(s));
                }
            }
            return out;
        }
    }
}
