package dev.hotpath.analyzer.rules.heap;

import dev.hotpath.analyzer.heap.JvmFixture;
import dev.hotpath.analyzer.heap.apps.GrowingLeak;
import dev.hotpath.analyzer.ingest.IngestContext;
import dev.hotpath.analyzer.ingest.Ingester;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.RuleSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The HPROF ingester and the heap rules, found through ServiceLoader, on two dumps of a growing program. */
class HeapRulesTest {
    static final String HOLDER = "static dev.hotpath.analyzer.heap.apps.GrowingLeak.SESSIONS";

    @TempDir
    Path dir;

    /** A plain RuleContext over a list of summaries. */
    static final class Context implements RuleContext {
        final List<Summary> summaries;
        final Rule rule;
        final RuleSettings settings;
        final List<Finding> findings = new ArrayList<>();

        Context(List<Summary> summaries, Rule rule, RuleSettings settings) {
            this.summaries = summaries;
            this.rule = rule;
            this.settings = settings;
        }

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
            return List.of();
        }

        @Override
        public void emit(Finding finding) {
            findings.add(finding);
        }
    }

    @Test
    void suspectAndGrowthFindingsNameTheHolder() throws Exception {
        Path before = dir.resolve("before.hprof");
        Path after = dir.resolve("after.hprof");
        try (JvmFixture jvm = JvmFixture.start(GrowingLeak.class)) {
            jvm.dump(before, false);
            jvm.grow();
            jvm.grow();
            jvm.dump(after, false);
        }
        Ingester ingester = ServiceLoader.load(Ingester.class).stream().map(ServiceLoader.Provider::get)
                .filter(i -> i instanceof HprofIngester).findFirst().orElseThrow();
        List<Summary> summaries = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        IngestContext ctx = new IngestContext() {
            @Override
            public void add(Summary summary) {
                summaries.add(summary);
            }

            @Override
            public void note(String line) {
                notes.add(line);
            }
        };
        for (Path p : List.of(before, after)) {
            ingester.ingest(new Artifact(p, ArtifactType.HPROF, Files.size(p), null, null), ctx);
        }
        assertThat(summaries).hasSize(2).allSatisfy(s -> assertThat(s.kind()).isEqualTo("heap.analysis"));

        List<Rule> rules = ServiceLoader.load(Rule.class).stream().map(ServiceLoader.Provider::get).toList();
        Rule growth = rules.stream().filter(r -> r.id().equals("heap.growth")).findFirst().orElseThrow();
        Context g = new Context(summaries, growth, RuleSettings.defaults());
        growth.evaluate(g);
        assertThat(g.findings).hasSize(1);
        Finding f = g.findings.get(0);
        assertThat(f.evidence().get("holder")).isEqualTo(HOLDER);
        assertThat(f.evidence().get("elementsBeforeCount")).isEqualTo(3000L);
        assertThat(f.evidence().get("elementsAfterCount")).isEqualTo(9000L);
        assertThat(f.evidence().get("elementClass")).isEqualTo("dev.hotpath.analyzer.heap.apps.GrowingLeak$Session");
        assertThat(f.title()).startsWith(HOLDER + " grew by ").endsWith(" and 6000 elements between before.hprof and after.hprof");
        assertThat(f.sources()).containsExactly("before.hprof", "after.hprof");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        // growth below minGrowthMiB cannot be told from a bounded cache filling up between the dumps: info
        Context little = new Context(summaries, growth, RuleSettings.parse(List.of("heap.growth.minGrowthMiB=64"), rules));
        growth.evaluate(little);
        assertThat(little.findings).singleElement().satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.INFO));

        Rule suspects = rules.stream().filter(r -> r.id().equals("heap.leak-suspect")).findFirst().orElseThrow();
        Context s = new Context(List.of(summaries.get(1)), suspects, RuleSettings.defaults());
        suspects.evaluate(s);
        assertThat(s.findings).hasSize(1);
        assertThat(s.findings.get(0).evidence().get("holder")).isEqualTo(HOLDER);
        assertThat(s.findings.get(0).evidence().get("elementsCount")).isEqualTo(9000L);
        // one dump shows size, not growth: a big holder in a small heap is info
        assertThat(s.findings.get(0).severity()).isEqualTo(Severity.INFO);
        // in a heap big enough to matter (here: any size) the same share is a warning, never critical
        Context big = new Context(List.of(summaries.get(1)), suspects,
                RuleSettings.parse(List.of("heap.leak-suspect.warnMiB=0"), rules));
        suspects.evaluate(big);
        assertThat(big.findings).singleElement().satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.WARNING));
        // raising the threshold above the suspect's share silences it
        Context high = new Context(List.of(summaries.get(1)), suspects,
                RuleSettings.parse(List.of("heap.leak-suspect.retainedPercent=99"), rules));
        suspects.evaluate(high);
        assertThat(high.findings).isEmpty();
    }

    static final String NESTED_HOLDER = "thread \"main\" local in dev.hotpath.analyzer.heap.apps.NestedLeak.main.index.byId";

    /**
     * Two dumps of one program (in one directory, handed over newest first) with a dump of another process between
     * them: the growth is found between the two dumps of the same process, in time order, and named by the field
     * path below the frame local that holds the service — not the service itself, not the map that stayed the same.
     */
    @Test
    void growthBetweenTwoDumpsOfOneProcessNamesTheFieldThatGrew() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("run-a/heap"));
        Path other = Files.createDirectories(dir.resolve("run-b/heap"));
        Path first = proc.resolve("heap-01.hprof");
        Path second = proc.resolve("heap-02.hprof");
        try (JvmFixture jvm = JvmFixture.start(dev.hotpath.analyzer.heap.apps.NestedLeak.class)) {
            jvm.dump(first, false);
            jvm.grow();
            jvm.grow();
            jvm.dump(second, false);
        }
        // another process's dump, much smaller than the grown one: compared with it, the heap would "shrink"
        Path foreign = Files.copy(first, other.resolve("heap-01.hprof"));
        List<Summary> summaries = ingest(List.of(second, foreign, first));

        List<Rule> rules = ServiceLoader.load(Rule.class).stream().map(ServiceLoader.Provider::get).toList();
        Rule growth = rules.stream().filter(r -> r.id().equals("heap.growth")).findFirst().orElseThrow();
        Context g = new Context(summaries, growth, RuleSettings.defaults());
        growth.evaluate(g);
        assertThat(g.findings).hasSize(1);
        Finding f = g.findings.get(0);
        assertThat(f.evidence().get("holder")).isEqualTo(NESTED_HOLDER);
        assertThat(f.evidence().get("elementClass")).isEqualTo("dev.hotpath.analyzer.heap.apps.NestedLeak$Access");
        assertThat(f.evidence().get("elementsBeforeCount")).isEqualTo(3000L);
        assertThat(f.evidence().get("elementsAfterCount")).isEqualTo(9000L);
        long before = (Long) f.evidence().get("retainedBeforeBytes");
        long after = (Long) f.evidence().get("retainedAfterBytes");
        // each access: the Access, its 1 KiB array, its id String and byte[], a HashMap$Node — over 1000 bytes
        assertThat(after - before).isGreaterThan(6000L * 1000).isEqualTo(f.evidence().get("growthBytes"));
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.title()).isEqualTo(NESTED_HOLDER + " grew by " + (after - before) + " bytes ("
                + f.evidence().get("sharePercent") + "% of the heap) and 6000 elements between heap-01.hprof and heap-02.hprof");
        assertThat(f.sources()).containsExactly("heap-01.hprof", "heap-02.hprof");
    }

    private static List<Summary> ingest(List<Path> dumps) throws Exception {
        Ingester ingester = new HprofIngester();
        List<Summary> summaries = new ArrayList<>();
        IngestContext ctx = new IngestContext() {
            @Override
            public void add(Summary summary) {
                summaries.add(summary);
            }

            @Override
            public void note(String line) {
            }
        };
        for (Path p : dumps) {
            ingester.ingest(new Artifact(p, ArtifactType.HPROF, Files.size(p), null, null), ctx);
        }
        return summaries;
    }
}
