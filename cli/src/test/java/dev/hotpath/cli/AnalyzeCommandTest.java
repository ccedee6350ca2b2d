package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.store.RunInfo;
import dev.hotpath.analyzer.store.WorkspaceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hotpath analyze} through the real command line: bad input lines and exit codes, --fail-on, --set, every
 * output format, the workspace and --baseline. The rules and ingester are test plugins registered in this module's
 * test META-INF/services (collapsed stacks → test.hot-frame), so the pipeline is exercised exactly as in production.
 */
class AnalyzeCommandTest {
    @TempDir
    Path dir;
    Path ws;
    Path hot;

    /** 80% of samples end in Deflater.deflate → test.hot-frame warning (50% ≤ share < 90%). */
    static final String STACKS = """
            java.lang.Thread.run;com.acme.Ingest.loop;java.util.zip.Deflater.deflate 80
            java.lang.Thread.run;com.acme.Ingest.loop;com.acme.Segment.write 20
            """;

    @BeforeEach
    void setUp() throws Exception {
        ws = dir.resolve("ws");
        hot = Files.writeString(dir.resolve("cpu.collapsed"), STACKS);
    }

    private Cli.Result analyze(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "analyze";
        all[1] = "--workspace";
        all[2] = ws.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return Cli.run(all);
    }

    private static void assertNoStackTrace(Cli.Result r) {
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    // ---- bad input: one line each, exit 3 when nothing is usable

    @Test
    void zeroByteFile() throws Exception {
        Path f = Files.createFile(dir.resolve("empty.jfr"));
        Cli.Result r = analyze(f.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.UNUSABLE_INPUT);
        assertThat(r.err()).isEqualTo(f + ": empty file (0 bytes)\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void jfrCutInItsHeader() throws Exception {
        Path f = Files.write(dir.resolve("cut.jfr"), new byte[]{'F', 'L', 'R', 0, 0, 2, 0, 1, 0, 0});
        Cli.Result r = analyze(f.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo(f + ": truncated JFR recording: the chunk header needs 68 bytes, the file has 10\n");
        assertNoStackTrace(r);
    }

    @Test
    void randomBytes() throws Exception {
        byte[] noise = new byte[1000];
        new Random(7).nextBytes(noise);
        noise[0] = 0x13;
        noise[1] = 0x37;
        Path f = Files.write(dir.resolve("noise"), noise);
        Cli.Result r = analyze(f.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith(f + ": not a recognised artifact (binary data starting with bytes 13 37 ")
                .hasLineCount(1);
    }

    @Test
    void textFileAndMissingFile() throws Exception {
        Path f = Files.writeString(dir.resolve("todo.txt"), "remember the milk\n");
        Cli.Result r = analyze(f.toString(), dir.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo(dir.resolve("nope") + ": no such file or directory\n"
                + f + ": not a recognised artifact (text starting with \"remember the milk\")\n");
    }

    @Test
    void directoryWithNothingKnownAndEmptyDirectory() throws Exception {
        Path d = Files.createDirectories(dir.resolve("junk"));
        Files.writeString(d.resolve("a.txt"), "hello\n");
        Path empty = Files.createDirectories(dir.resolve("void"));
        Cli.Result r = analyze(d.toString(), empty.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo(empty + ": empty directory (no files to analyse)\n"
                + d.resolve("a.txt") + ": not a recognised artifact (text starting with \"hello\")\n");
        assertThat(Files.exists(ws)).isFalse();
    }

    @Test
    void goodInputsAreAnalysedDespiteBadOnes() throws Exception {
        Path empty = Files.createFile(dir.resolve("zero"));
        Cli.Result r = analyze(empty.toString(), hot.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).isEqualTo(empty + ": empty file (0 bytes)\n");
        assertThat(r.out()).contains("1 artifact, ")
                .contains("[test.hot-frame] java.util.zip.Deflater.deflate is on top of 80% of samples");
    }

    @Test
    void anIngesterRejectingItsFileIsOneLine() throws Exception {
        Path f = Files.writeString(dir.resolve("rejected.collapsed"), "reject;a;b 1\n");
        Cli.Result r = analyze(f.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo(f + ": test ingester rejects this file\n");
    }

    @Test
    void aFailingRuleIsOneLineAndVerboseAddsItsStackTrace() throws Exception {
        Path f = Files.writeString(dir.resolve("boom.collapsed"), "main;test.Boom 5\nmain;x 1\n");
        Cli.Result r = analyze(f.toString());
        assertThat(r.exit()).isEqualTo(0);
        String line = "rule test.hot-frame failed on " + f + ": java.lang.IllegalStateException: boom\n";
        assertThat(r.err()).isEqualTo(line);
        Cli.Result v = analyze("--verbose", f.toString());
        assertThat(v.err()).startsWith(line + "java.lang.IllegalStateException: boom\n\tat dev.hotpath.cli.testplugins.HotFrameRule.evaluate(");
    }

    // ---- exit codes and options

    @Test
    void failOnGatesBySeverity() {
        assertThat(analyze("--fail-on", "info", hot.toString()).exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(analyze("--fail-on", "warning", hot.toString()).exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(analyze("--fail-on", "critical", hot.toString()).exit()).isEqualTo(ExitCodes.OK);
        assertThat(analyze(hot.toString()).exit()).isEqualTo(ExitCodes.OK);
        Cli.Result bad = analyze("--fail-on", "severe", hot.toString());
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).isEqualTo("hotpath analyze: Invalid value for option '--fail-on': unknown severity"
                + " 'severe' (expected info, warning or critical) (see 'hotpath analyze --help')\n");
    }

    @Test
    void setOverridesAThresholdAndIsValidated() throws Exception {
        Cli.Result lower = analyze("--set", "test.hot-frame.criticalSharePercent=75", "--fail-on", "critical", hot.toString());
        assertThat(lower.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(lower.out()).contains("CRITICAL (1)");

        Cli.Result noRule = analyze("--set", "gc.nope.x=1", hot.toString());
        assertThat(noRule.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noRule.err()).isEqualTo("hotpath analyze: --set gc.nope.x=1: no rule 'gc.nope'"
                + " (see 'hotpath analyze --help')\n");
        assertThat(noRule.out()).isEmpty();

        Cli.Result noThreshold = analyze("--set", "test.hot-frame.share=1", hot.toString());
        assertThat(noThreshold.exit()).isEqualTo(2);
        assertThat(noThreshold.err()).isEqualTo("hotpath analyze: --set test.hot-frame.share=1: rule test.hot-frame"
                + " has no threshold 'share' (it has [warningSharePercent, criticalSharePercent])"
                + " (see 'hotpath analyze --help')\n");

        Cli.Result nan = analyze("--set", "test.hot-frame.warningSharePercent=lots", hot.toString());
        assertThat(nan.exit()).isEqualTo(2);
        assertThat(nan.err()).isEqualTo("hotpath analyze: --set test.hot-frame.warningSharePercent=lots: 'lots'"
                + " is not a number (see 'hotpath analyze --help')\n");

        Cli.Result shape = analyze("--set", "oops", hot.toString());
        assertThat(shape.err()).isEqualTo("hotpath analyze: --set oops: expected <rule>.<threshold>=<value>"
                + " (see 'hotpath analyze --help')\n");
        try (WorkspaceStore store = WorkspaceStore.open(ws.toString())) {
            assertThat(store.list()).hasSize(1); // only the valid invocation stored a run
        }
    }

    @Test
    void usageErrorsAndVersion() {
        Cli.Result unknown = Cli.run("analyze", "--frobnicate", hot.toString());
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).isEqualTo("hotpath analyze: Unknown option: '--frobnicate'"
                + " (see 'hotpath analyze --help')\n");
        Cli.Result none = Cli.run("analyze");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("hotpath analyze: Missing required parameter: '<file|dir>'"
                + " (see 'hotpath analyze --help')\n");
        Cli.Result both = Cli.run("analyze", "--json", "--markdown", hot.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        Cli.Result version = Cli.run("--version");
        assertThat(version.exit()).isEqualTo(0);
        assertThat(version.out()).matches("hotpath \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .+\\)\n");
        Cli.Result help = Cli.run("analyze", "--help");
        assertThat(help.exit()).isEqualTo(0);
        assertThat(help.out()).contains("--fail-on=info|warning|critical").contains("--set=RULE.THRESHOLD=VALUE");
    }

    // ---- output formats

    @Test
    void jsonOnStdout() throws Exception {
        Cli.Result r = analyze("--json", "--run", "json-run", hot.toString());
        assertThat(r.exit()).isEqualTo(0);
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(ours(root)).hasSize(1);
        JsonNode f = ours(root).get(0);
        assertThat(f.get("id").asText()).isEqualTo("test.hot-frame");
        assertThat(f.get("severity").asText()).isEqualTo("warning");
        assertThat(f.get("category").asText()).isEqualTo("cpu");
        assertThat(f.get("evidence").toString())
                .isEqualTo("{\"frame\":\"java.util.zip.Deflater.deflate\",\"samples\":80,\"sharePercent\":80}");
        assertThat(f.get("sources").toString()).isEqualTo("[\"cpu.collapsed\"]");
        JsonNode a = root.get("artifacts").get(0);
        assertThat(a.get("path").asText()).isEqualTo(hot.toAbsolutePath().toString());
        assertThat(a.get("type").asText()).isEqualTo("collapsed");
        assertThat(a.get("sizeBytes").asLong()).isEqualTo(Files.size(hot));
        assertThat(a.get("sha256").asText()).isEqualTo(sha256(hot));
        assertThat(root.get("run").get("name").asText()).isEqualTo("json-run");
        assertThat(root.get("run").get("id").isNull()).isFalse();
    }

    @Test
    void markdownOnStdout() {
        Cli.Result r = analyze("--markdown", "--run", "md", hot.toString());
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).startsWith("# hotpath findings: md\n\n1 artifact, ")
                .contains("### java.util.zip.Deflater.deflate is on top of 80% of samples\n")
                .contains("| sharePercent | 80 |\n");
    }

    @Test
    void htmlAndSarifFilesBesideTheTextReport() throws Exception {
        Path f = Files.writeString(dir.resolve("xss.collapsed"),
                "main;com.acme.<script>alert(1)</script> 9\nmain;other 1\n");
        Path html = dir.resolve("out/report.html");
        Path sarif = dir.resolve("out/report.sarif");
        Cli.Result r = analyze("--html", html.toString(), "--sarif", sarif.toString(), f.toString());
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("[test.hot-frame] com.acme.<script>alert(1)</script> is on top of 90% of samples");
        String page = Files.readString(html);
        assertThat(page).doesNotContain("<script").contains("<h2>critical (1)</h2>")
                .contains("<h3>com.acme.&lt;script&gt;alert(1)&lt;/script&gt; is on top of 90% of samples</h3>");
        JsonNode s = new ObjectMapper().readTree(sarif.toFile());
        assertThat(s.get("version").asText()).isEqualTo("2.1.0");
        assertThat(s.get("$schema").asText()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
        JsonNode run = s.get("runs").get(0);
        assertThat(run.get("tool").get("driver").get("rules").get(0).get("id").asText()).isEqualTo("test.hot-frame");
        assertThat(run.get("tool").get("driver").get("rules").get(0).get("shortDescription").get("text").asText())
                .isEqualTo("Test rule: the hottest leaf frame of collapsed stacks");
        JsonNode result = run.get("results").get(0);
        assertThat(result.get("ruleId").asText()).isEqualTo("test.hot-frame");
        assertThat(result.get("level").asText()).isEqualTo("error");
        assertThat(result.get("message").get("text").asText()).isEqualTo("com.acme.<script>alert(1)</script> is on top"
                + " of 90% of samples. 9 of 10 samples end in com.acme.<script>alert(1)</script>");
        assertThat(result.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText())
                .isEqualTo(f.toAbsolutePath().toUri().toString());
    }

    @Test
    void runScopeRulesSeeEveryArtifact() throws Exception {
        Path second = Files.writeString(dir.resolve("more.collapsed"), "main;a 1\nmain;b 3\n");
        Cli.Result r = analyze("--json", hot.toString(), second.toString());
        List<JsonNode> findings = ours(new ObjectMapper().readTree(r.out()));
        assertThat(findings).hasSize(3);
        JsonNode files = findings.get(2);
        assertThat(files.get("id").asText()).isEqualTo("test.frames-files");
        assertThat(files.get("sources").toString()).isEqualTo("[\"cpu.collapsed\",\"more.collapsed\"]");
    }

    // ---- workspace

    @Test
    void theRunIsStoredWithArtifactsAndFindingsUnderItsName() throws Exception {
        Cli.Result r = analyze("--run", "nightly-42", hot.toString());
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.err()).isEmpty();
        try (WorkspaceStore store = WorkspaceStore.open(ws.toString())) {
            List<RunInfo> runs = store.list();
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).name()).isEqualTo("nightly-42");
            assertThat(runs.get(0).artifacts()).isEqualTo(1);
            assertThat(runs.get(0).counts().get(Severity.WARNING)).isGreaterThanOrEqualTo(1);
            assertThat(r.out()).startsWith("hotpath: run nightly-42 (id " + runs.get(0).id() + "): ");
            Run run = store.load("nightly-42").orElseThrow();
            assertThat(run.artifacts()).hasSize(1);
            assertThat(run.artifacts().get(0).path()).isEqualTo(hot.toAbsolutePath());
            assertThat(run.artifacts().get(0).type()).isEqualTo(ArtifactType.COLLAPSED);
            assertThat(run.artifacts().get(0).sizeBytes()).isEqualTo(Files.size(hot));
            assertThat(run.artifacts().get(0).sha256()).isEqualTo(sha256(hot));
            List<dev.hotpath.analyzer.model.Finding> hotFrame = run.findings().stream()
                    .filter(x -> x.id().equals("test.hot-frame")).toList();
            assertThat(hotFrame).hasSize(1);
            assertThat(hotFrame.get(0).evidence().get("frame")).isEqualTo("java.util.zip.Deflater.deflate");
            assertThat(hotFrame.get(0).severity()).isEqualTo(Severity.WARNING);
            assertThat(store.summary(run.id(), "test.hot-frames")).isPresent();
        }
        analyze(hot.toString());
        try (WorkspaceStore store = WorkspaceStore.open(ws.toString())) {
            assertThat(store.list()).hasSize(2);
        }
    }

    @Test
    void aWorkspaceThatCannotBeUsedIsOneLineAfterTheReport() throws Exception {
        Path notADir = Files.writeString(dir.resolve("ws-file"), "I am a file");
        Cli.Result r = Cli.run("analyze", "--workspace", notADir.toString(), hot.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.UNUSABLE_INPUT);
        assertThat(r.out()).contains("[test.hot-frame]");
        assertThat(r.err()).startsWith("hotpath: run not stored: ").hasLineCount(1).contains(notADir.toString());
    }

    @Test
    void baselineFromAFileAndFromAStoredRun() throws Exception {
        Path before = Files.writeString(dir.resolve("before.collapsed"),
                "main;java.util.zip.Deflater.deflate 1\nmain;other 3\n");
        Cli.Result fromFile = analyze("--json", "--baseline", before.toString(), hot.toString());
        assertThat(fromFile.exit()).isEqualTo(0);
        assertThat(ours(new ObjectMapper().readTree(fromFile.out())).get(0).get("evidence")
                .get("baselineSharePercent").asInt()).isEqualTo(25);

        analyze("--run", "before", before.toString());
        Cli.Result fromRun = analyze("--json", "--baseline", "before", hot.toString());
        assertThat(fromRun.exit()).isEqualTo(0);
        assertThat(ours(new ObjectMapper().readTree(fromRun.out())).get(0).get("evidence")
                .get("baselineSharePercent").asInt()).isEqualTo(25);

        Cli.Result unknown = analyze("--baseline", "no-such-run", hot.toString());
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).isEqualTo("hotpath analyze: --baseline no-such-run: no such file, and no run with"
                + " that id or name in " + ws + " (see 'hotpath analyze --help')\n");

        Files.writeString(before, "main;changed 1\n");
        Cli.Result gone = analyze("--baseline", "before", hot.toString());
        assertThat(gone.exit()).isEqualTo(ExitCodes.UNUSABLE_INPUT);
        assertThat(gone.err()).isEqualTo("baseline run before: none of its 1 artifacts is still on disk unchanged\n");
    }

    /** The findings of the test plugins; the real rules installed in this build may add their own on the same input. */
    static List<JsonNode> ours(JsonNode root) {
        List<JsonNode> out = new java.util.ArrayList<>();
        root.get("findings").forEach(f -> {
            if (f.get("id").asText().startsWith("test.")) {
                out.add(f);
            }
        });
        return out;
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
