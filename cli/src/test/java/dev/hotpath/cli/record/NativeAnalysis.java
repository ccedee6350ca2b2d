package dev.hotpath.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.nativemem.JemallocProfileIngester;
import dev.hotpath.analyzer.nativemem.JemallocStatsIngester;
import dev.hotpath.analyzer.nativemem.NativeMemJfrIngester;
import dev.hotpath.analyzer.nativemem.NmtIngester;
import dev.hotpath.analyzer.nativemem.RssIngester;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.RuleSettings;
import dev.hotpath.analyzer.rules.nativemem.ClassMetadataGrowthRule;
import dev.hotpath.analyzer.rules.nativemem.DirectMemoryGrowthRule;
import dev.hotpath.analyzer.rules.nativemem.JemallocGrowthRule;
import dev.hotpath.analyzer.rules.nativemem.MallocArenaBloatRule;
import dev.hotpath.analyzer.rules.nativemem.NmtAnyCategoryGrowthRule;
import dev.hotpath.analyzer.rules.nativemem.NmtSinceBaselineRule;
import dev.hotpath.analyzer.rules.nativemem.ThreadLeakRule;
import dev.hotpath.analyzer.rules.nativemem.UntrackedNativeGrowthRule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test harness standing in for {@code hotpath analyze} (another module's pipeline): reads a run directory's
 * manifest, runs the native-memory ingesters on the artifacts of their types and evaluates the native rules at run
 * scope with their default thresholds.
 */
final class NativeAnalysis {
    static final List<Ingester> INGESTERS = List.of(new NmtIngester(), new RssIngester(), new JemallocProfileIngester(),
            new JemallocStatsIngester(), new NativeMemJfrIngester());
    static final List<Rule> RULES = List.of(new UntrackedNativeGrowthRule(), new DirectMemoryGrowthRule(),
            new ThreadLeakRule(), new ClassMetadataGrowthRule(), new MallocArenaBloatRule(), new NmtAnyCategoryGrowthRule(),
            new NmtSinceBaselineRule(), new JemallocGrowthRule());

    final List<Summary> summaries = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();

    static NativeAnalysis of(Path runDir) throws Exception {
        NativeAnalysis a = new NativeAnalysis();
        JsonNode manifest = new ObjectMapper().readTree(runDir.resolve("manifest.json").toFile());
        for (JsonNode e : manifest.get("artifacts")) {
            Path p = runDir.resolve(e.get("path").asText());
            ArtifactType type = ArtifactType.fromId(e.get("type").asText());
            Artifact art = new Artifact(p, type, Files.size(p), null, Map.of());
            for (Ingester in : INGESTERS) {
                if (in.types().contains(type)) {
                    in.ingest(art, new IngestContext() {
                        @Override
                        public synchronized void add(Summary summary) {
                            a.summaries.add(summary);
                        }

                        @Override
                        public synchronized void note(String line) {
                            a.notes.add(line);
                        }
                    });
                }
            }
        }
        RuleSettings settings = RuleSettings.defaults();
        for (Rule r : RULES) {
            r.evaluate(new RuleContext() {
                @Override
                public <T extends Summary> List<T> summaries(Class<T> type) {
                    return a.summaries.stream().filter(type::isInstance).map(type::cast).toList();
                }

                @Override
                public double threshold(String name) {
                    return settings.value(r, name);
                }

                @Override
                public <T extends Summary> List<T> baselineSummaries(Class<T> type) {
                    return List.of();
                }

                @Override
                public void emit(Finding finding) {
                    a.findings.add(finding);
                }
            });
        }
        return a;
    }

    List<Finding> byId(String id) {
        return findings.stream().filter(f -> f.id().equals(id)).toList();
    }
}
