package dev.hotpath.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.RuleContext;
import dev.hotpath.analyzer.rules.Threshold;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every report format rendered from one run whose culprit names carry markup. */
class ReportsTest {
    static final Path JFR = Path.of("/data/runs/r1/recording.jfr");
    static final Path HPROF = Path.of("/data/runs/r1/heap.hprof");

    static Run run() {
        Finding pauses = Finding.builder("gc.long-pauses", Category.GC).severity(Severity.CRITICAL)
                .title("GC pauses up to 812 ms in <script>alert(1)</script>.run")
                .summary("p99 pause 640 ms over 12 pauses")
                .evidence("maxPauseMs", 812.0).evidence("p99PauseMs", 640).evidence("pauses", 12)
                .evidence("culprit", "com.acme.<script>alert(1)</script>.run")
                .recommendation("Raise -Xmx or reduce the live set").source("recording.jfr").build();
        Finding leak = Finding.builder("heap.leak-suspect", Category.HEAP).severity(Severity.INFO)
                .title("HashMap held by static Cache.ENTRIES retains 41 MB")
                .evidence("retainedBytes", 42991616L).evidence("path", List.of("Cache.ENTRIES", "HashMap"))
                .source("heap.hprof").build();
        return new Run("7", "nightly | load", Instant.parse("2026-11-25T10:00:00Z"),
                List.of(new Artifact(JFR, ArtifactType.JFR, 221081, "ab12", Map.of("jfrVersion", "2.1")),
                        new Artifact(HPROF, ArtifactType.HPROF, 2048, "cd34", Map.of())),
                List.of(pauses, leak), Map.of(), List.of("heap.hprof: truncated at byte 2048"));
    }

    @Test
    void textGroupsBySeverityWorstFirst() {
        assertThat(TextReport.render(run(), false)).isEqualTo("""
                hotpath: run nightly | load (id 7): 2 artifacts, 2 findings (1 critical, 0 warning, 1 info)

                CRITICAL (1)
                  [gc.long-pauses] GC pauses up to 812 ms in <script>alert(1)</script>.run
                    p99 pause 640 ms over 12 pauses
                    maxPauseMs: 812
                    p99PauseMs: 640
                    pauses: 12
                    culprit: com.acme.<script>alert(1)</script>.run
                    → Raise -Xmx or reduce the live set
                    sources: recording.jfr

                INFO (1)
                  [heap.leak-suspect] HashMap held by static Cache.ENTRIES retains 41 MB
                    retainedBytes: 42991616
                    path: [Cache.ENTRIES, HashMap]
                    sources: heap.hprof

                artifacts:
                  jfr                /data/runs/r1/recording.jfr (221081 bytes)
                  hprof              /data/runs/r1/heap.hprof (2048 bytes)

                notes:
                  heap.hprof: truncated at byte 2048
                """);
    }

    @Test
    void textIsColouredOnlyWhenAsked() {
        String coloured = TextReport.render(run(), true);
        assertThat(coloured).contains("\u001b[1;31mCRITICAL (1)\u001b[0m").contains("\u001b[1;36mINFO (1)\u001b[0m");
        assertThat(TextReport.render(run(), false)).doesNotContain("\u001b[");
    }

    @Test
    void jsonFollowsTheFindingsContract() throws Exception {
        JsonNode root = new ObjectMapper().readTree(JsonReport.render(run()));
        assertThat(root.fieldNames()).toIterable().containsExactly("findings", "artifacts", "run", "notes");
        JsonNode f = root.get("findings").get(0);
        assertThat(f.fieldNames()).toIterable().containsExactly("id", "severity", "category", "title", "summary",
                "evidence", "recommendation", "sources");
        assertThat(f.get("id").asText()).isEqualTo("gc.long-pauses");
        assertThat(f.get("severity").asText()).isEqualTo("critical");
        assertThat(f.get("category").asText()).isEqualTo("gc");
        assertThat(f.get("evidence").get("maxPauseMs").asDouble()).isEqualTo(812.0);
        assertThat(f.get("evidence").get("p99PauseMs").asInt()).isEqualTo(640);
        assertThat(f.get("sources").get(0).asText()).isEqualTo("recording.jfr");
        assertThat(root.get("findings").get(1).get("evidence").get("path").toString())
                .isEqualTo("[\"Cache.ENTRIES\",\"HashMap\"]");
        JsonNode a = root.get("artifacts").get(0);
        assertThat(a.toString()).isEqualTo("{\"path\":\"/data/runs/r1/recording.jfr\",\"type\":\"jfr\","
                + "\"sizeBytes\":221081,\"sha256\":\"ab12\",\"jfrVersion\":\"2.1\"}");
        assertThat(root.get("run").toString())
                .isEqualTo("{\"id\":\"7\",\"name\":\"nightly | load\",\"createdAt\":\"2026-11-25T10:00:00Z\"}");
        assertThat(root.get("notes").toString()).isEqualTo("[\"heap.hprof: truncated at byte 2048\"]");
    }

    @Test
    void markdownEscapesMarkupAndTablePipes() {
        assertThat(MarkdownReport.render(run())).isEqualTo("""
                # hotpath findings: nightly \\| load

                2 artifacts, 2 findings (1 critical, 0 warning, 1 info)

                ## Critical

                ### GC pauses up to 812 ms in &lt;script&gt;alert(1)&lt;/script&gt;.run

                `gc.long-pauses` · gc · sources: recording.jfr

                p99 pause 640 ms over 12 pauses

                | evidence | value |
                |---|---|
                | maxPauseMs | 812 |
                | p99PauseMs | 640 |
                | pauses | 12 |
                | culprit | com.acme.&lt;script&gt;alert(1)&lt;/script&gt;.run |

                **Recommendation:** Raise -Xmx or reduce the live set

                ## Info

                ### HashMap held by static Cache.ENTRIES retains 41 MB

                `heap.leak-suspect` · heap · sources: heap.hprof

                | evidence | value |
                |---|---|
                | retainedBytes | 42991616 |
                | path | \\[Cache.ENTRIES, HashMap\\] |


                ## Artifacts

                | type | path | bytes | sha256 |
                |---|---|---:|---|
                | jfr | /data/runs/r1/recording.jfr | 221081 | `ab12` |
                | hprof | /data/runs/r1/heap.hprof | 2048 | `cd34` |

                ## Notes

                - heap.hprof: truncated at byte 2048
                """);
    }

    @Test
    void htmlIsSelfContainedAndEscapesEveryArtifactString() {
        String html = HtmlReport.render(run());
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
        assertThat(html).contains("<h3>GC pauses up to 812 ms in &lt;script&gt;alert(1)&lt;/script&gt;.run</h3>");
        assertThat(html).contains("<tr><th>culprit</th><td class=\"v\">com.acme.&lt;script&gt;alert(1)&lt;/script&gt;.run</td></tr>");
        assertThat(html).contains("<title>hotpath: nightly | load</title>");
        assertThat(html).contains("<h2>critical (1)</h2>").contains("<h2>info (1)</h2>");
        assertThat(html).contains("<li>heap.hprof: truncated at byte 2048</li>");
    }

    @Test
    void sarifHasRulesResultsLevelsAndLocations() throws Exception {
        Rule declared = new Rule() {
            public String id() { return "gc.long-pauses"; }
            public Category category() { return Category.GC; }
            public String description() { return "Stop-the-world GC pauses longer than a threshold"; }
            public List<Threshold> thresholds() { return List.of(); }
            public void evaluate(RuleContext ctx) { }
        };
        JsonNode root = new ObjectMapper().readTree(SarifReport.render(run(), List.of(declared), "0.1.0"));
        assertThat(root.get("version").asText()).isEqualTo("2.1.0");
        assertThat(root.get("$schema").asText()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
        assertThat(root.get("runs")).hasSize(1);
        JsonNode run = root.get("runs").get(0);
        JsonNode driver = run.get("tool").get("driver");
        assertThat(driver.get("name").asText()).isEqualTo("hotpath");
        assertThat(driver.get("version").asText()).isEqualTo("0.1.0");
        JsonNode rules = driver.get("rules");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).toString()).isEqualTo("{\"id\":\"gc.long-pauses\",\"shortDescription\":{\"text\":"
                + "\"Stop-the-world GC pauses longer than a threshold\"},\"defaultConfiguration\":{\"level\":\"error\"},"
                + "\"properties\":{\"category\":\"gc\"}}");
        assertThat(rules.get(1).get("id").asText()).isEqualTo("heap.leak-suspect");
        assertThat(run.get("artifacts").get(1).toString()).isEqualTo("{\"location\":{\"uri\":\"file:///data/runs/r1/heap.hprof\"},"
                + "\"length\":2048,\"hashes\":{\"sha-256\":\"cd34\"},\"properties\":{\"type\":\"hprof\"}}");
        JsonNode results = run.get("results");
        assertThat(results).hasSize(2);
        JsonNode r0 = results.get(0);
        assertThat(r0.get("ruleId").asText()).isEqualTo("gc.long-pauses");
        assertThat(r0.get("ruleIndex").asInt()).isEqualTo(0);
        assertThat(r0.get("level").asText()).isEqualTo("error");
        assertThat(r0.get("message").get("text").asText())
                .isEqualTo("GC pauses up to 812 ms in <script>alert(1)</script>.run. p99 pause 640 ms over 12 pauses");
        assertThat(r0.get("locations").toString()).isEqualTo("[{\"physicalLocation\":{\"artifactLocation\":"
                + "{\"uri\":\"file:///data/runs/r1/recording.jfr\",\"index\":0}}}]");
        assertThat(results.get(1).get("level").asText()).isEqualTo("note");
        assertThat(results.get(1).get("ruleIndex").asInt()).isEqualTo(1);
    }
}
