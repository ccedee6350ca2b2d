package dev.hotpath.analyzer.pipeline;

import dev.hotpath.analyzer.detect.TextArtifacts;
import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.RuleSettings;
import dev.hotpath.analyzer.rules.Threshold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline with small in-test plugins: expansion, run directories, parallel ingest order, rule scopes, problems. */
class AnalyzerTest {
    @TempDir
    Path dir;

    /** Counts lines; sleeps longer for earlier files so parallel completion order differs from input order. */
    record Lines(Artifact source, long lines) implements Summary {
        public String kind() { return "test.lines"; }
        public Object toJson() { return Map.of("lines", lines); }
    }

    static final class LineIngester implements Ingester {
        public Set<ArtifactType> types() { return Set.of(ArtifactType.COLLAPSED, ArtifactType.RSS); }

        public void ingest(Artifact a, IngestContext ctx) throws IOException, UnusableInputException {
            List<String> lines = Files.readAllLines(a.path());
            if (lines.get(0).startsWith("explode;")) {
                throw new IllegalStateException("parser bug");
            }
            try {
                Thread.sleep(a.sourceName().startsWith("0") ? 300 : 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (lines.size() > 3) {
                ctx.note(a.sourceName() + ": only the first 3 lines read");
            }
            ctx.add(new Lines(a, Math.min(3, lines.size())));
        }
    }

    static final class PerArtifact implements Rule {
        public String id() { return "test.lines"; }
        public Category category() { return Category.CONFIG; }
        public String description() { return "lines per artifact"; }
        public List<Threshold> thresholds() { return List.of(new Threshold("warnLines", 3, "lines", "")); }

        public void evaluate(RuleContext ctx) {
            for (Lines l : ctx.summaries(Lines.class)) {
                ctx.emit(Finding.builder(id(), category())
                        .severity(l.lines() >= ctx.threshold("warnLines") ? Severity.WARNING : Severity.INFO)
                        .title(l.lines() + " lines").evidence("lines", l.lines()).build());
            }
        }
    }

    static final class RunWide implements Rule {
        public String id() { return "test.total"; }
        public Category category() { return Category.CONFIG; }
        public String description() { return "lines in the run"; }
        public List<Threshold> thresholds() { return List.of(); }
        public Scope scope() { return Scope.RUN; }

        public void evaluate(RuleContext ctx) {
            long total = ctx.summaries(Lines.class).stream().mapToLong(Lines::lines).sum();
            ctx.emit(Finding.builder(id(), category()).severity(Severity.CRITICAL).title(total + " lines in all")
                    .evidence("lines", total).evidence("baselineSummaries", ctx.baselineSummaries(Lines.class).size())
                    .build());
        }
    }

    private final Analyzer analyzer = new Analyzer(List.of(new LineIngester()), List.of(new PerArtifact(), new RunWide()), 2);

    @Test
    void parallelIngestKeepsInputOrderAndRulesRunPerArtifactThenRunWide() throws Exception {
        Path a = TextArtifacts.write(dir, "0-slow.txt", "a;b 1\n");
        Path b = TextArtifacts.write(dir, "1-fast.txt", TextArtifacts.COLLAPSED);
        Path c = TextArtifacts.write(dir, "2-rss.txt", TextArtifacts.RSS);
        Analysis an = analyzer.analyze(List.of(a, b, c), new AnalysisOptions("r", null, List.of(new Lines(null, 1))));
        assertThat(an.problems()).isEmpty();
        assertThat(an.run().name()).isEqualTo("r");
        assertThat(an.run().artifacts()).extracting(Artifact::sourceName)
                .containsExactly("0-slow.txt", "1-fast.txt", "2-rss.txt");
        assertThat(an.run().artifacts().get(2).type()).isEqualTo(ArtifactType.RSS);
        // worst first; per-artifact findings carry their artifact as source when the rule named none
        assertThat(an.run().findings()).extracting(f -> f.severity() + " " + f.title() + " " + f.sources())
                .containsExactly("CRITICAL 7 lines in all []", "WARNING 3 lines [1-fast.txt]", "WARNING 3 lines [2-rss.txt]",
                        "INFO 1 lines [0-slow.txt]");
        assertThat(an.run().findings().get(0).evidence()).containsEntry("baselineSummaries", 1);
        assertThat(an.run().notes()).containsExactly("2-rss.txt: only the first 3 lines read");
        // the same kind from three artifacts is stored once per artifact
        assertThat(an.run().summaries()).containsOnlyKeys("test.lines[0-slow.txt]", "test.lines[1-fast.txt]",
                "test.lines[2-rss.txt]");
    }

    @Test
    void settingsReachTheRules() throws Exception {
        Path a = TextArtifacts.write(dir, "x.txt", "a;b 1\n");
        RuleSettings s = RuleSettings.parse(List.of("test.lines.warnLines=1"), analyzer.rules());
        Analysis an = analyzer.analyze(List.of(a), new AnalysisOptions(null, s, null));
        assertThat(an.run().findings()).extracting(Finding::severity).containsExactly(Severity.CRITICAL, Severity.WARNING);
        assertThat(an.run().name()).matches("run-\\d{8}-\\d{6}");
        assertThat(an.run().summaries()).containsOnlyKeys("test.lines");
    }

    @Test
    void runDirectoryIsReadByItsManifest() throws Exception {
        Path run = Files.createDirectories(dir.resolve("nightly-7"));
        TextArtifacts.write(run, "stacks.txt", TextArtifacts.COLLAPSED);
        TextArtifacts.write(run.resolve("rss"), "timeline.csv", TextArtifacts.RSS);
        TextArtifacts.write(run, "not-listed.txt", "ignored because the manifest does not list it\n");
        Files.writeString(run.resolve("manifest.json"), """
                {"format":"hotpath-run/1","command":["java","-jar","app.jar"],"pid":1234,
                 "artifacts":[{"path":"stacks.txt","type":"collapsed"},{"path":"rss/timeline.csv"},
                              {"path":"gone.jfr","type":"jfr"}]}
                """);
        Analysis an = analyzer.analyze(List.of(run), AnalysisOptions.defaults());
        assertThat(an.run().name()).isEqualTo("nightly-7");
        assertThat(an.run().artifacts()).extracting(a -> a.sourceName() + "=" + a.type().id())
                .containsExactly("stacks.txt=collapsed", "timeline.csv=rss");
        assertThat(an.problems()).extracting(Problem::line)
                .containsExactly(run.resolve("gone.jfr") + ": listed in " + run.resolve("manifest.json") + " but missing");
        assertThat(an.run().summaries()).containsKey("run.manifest");
        assertThat(((Map<?, ?>) an.run().summaries().get("run.manifest")).get("pid")).isEqualTo(1234);
    }

    @Test
    void badManifestAndIngesterBugsAreProblemsNotCrashes() throws Exception {
        Path run = Files.createDirectories(dir.resolve("bad-run"));
        Files.writeString(run.resolve("manifest.json"), "{\"format\":\"other/2\"}");
        Path boom = TextArtifacts.write(dir, "boom.txt", "explode;x 1\n");
        Path good = TextArtifacts.write(dir, "good.txt", "a;b 2\n");
        Analysis an = analyzer.analyze(List.of(run, boom, good, boom), AnalysisOptions.defaults());
        assertThat(an.problems()).extracting(Problem::line).containsExactly(
                run.resolve("manifest.json") + ": unknown run manifest format 'other/2' (expected hotpath-run/1)",
                boom + ": LineIngester failed: java.lang.IllegalStateException: parser bug");
        assertThat(an.problems().get(1).cause()).isInstanceOf(IllegalStateException.class);
        assertThat(an.usable()).isTrue();
        assertThat(an.run().artifacts()).extracting(Artifact::sourceName).containsExactly("good.txt");
        assertThat(an.run().notes()).endsWith(an.problems().get(1).line());
    }

    @Test
    void recognisedTypeWithoutIngesterIsKeptWithANote() throws Exception {
        Path fio = TextArtifacts.write(dir, "fio.json", TextArtifacts.FIO);
        Analysis an = analyzer.analyze(List.of(fio), AnalysisOptions.defaults());
        assertThat(an.usable()).isTrue();
        assertThat(an.run().artifacts().get(0).sha256()).hasSize(64);
        assertThat(an.run().notes()).containsExactly(fio + ": fio is recognised but this build has no analysis for it yet");
    }
}
