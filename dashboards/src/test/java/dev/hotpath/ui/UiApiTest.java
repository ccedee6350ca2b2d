package dev.hotpath.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.store.WorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON API and the security rules, over real HTTP against a real SQLite workspace. */
class UiApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workspace;

    private WorkspaceStore store;
    private UiServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String leakyId;
    private String cleanId;

    @BeforeEach
    void start() throws Exception {
        store = WorkspaceStore.open(workspace.toString());
        leakyId = store.save(TestRuns.leakyRun("nightly ingest", Instant.parse("2026-11-20T10:00:00Z")));
        cleanId = store.save(TestRuns.cleanRun("clean baseline", Instant.parse("2026-11-21T10:00:00Z")));
        server = UiServer.start(store, TestAnalyzers.storing(store), UiOptions.loopback(0, workspace.resolve("uploads")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.close();
    }

    @Test
    void runsListIsNewestFirstWithCountsBySeverity() throws Exception {
        HttpResponse<String> r = get("/api/runs");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode runs = JSON.readTree(r.body());
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("id").asText()).isEqualTo(cleanId);
        assertThat(runs.get(0).get("name").asText()).isEqualTo("clean baseline");
        assertThat(runs.get(0).get("worst").isNull()).isTrue();
        assertThat(runs.get(1).get("id").asText()).isEqualTo(leakyId);
        assertThat(runs.get(1).get("createdAt").asText()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(runs.get(1).get("worst").asText()).isEqualTo("critical");
        assertThat(runs.get(1).get("artifacts").asInt()).isEqualTo(2);
        assertThat(runs.get(1).get("counts").toString()).isEqualTo("{\"critical\":1,\"warning\":1,\"info\":1}");
    }

    @Test
    void runFindingsAndArtifactsFollowTheFindingsContract() throws Exception {
        JsonNode run = JSON.readTree(get("/api/runs/" + leakyId).body());
        assertThat(run.get("name").asText()).isEqualTo("nightly ingest");
        assertThat(run.get("summaries").toString()).isEqualTo("[\"allocator-comparison\",\"gc.pauses\",\"heap.analysis\",\"io.snapshot\","
                + "\"native.nmt\",\"native.rss\",\"profile.cpu\"]");
        assertThat(run.get("notes").get(0).asText()).isEqualTo("recording.jfr: truncated at byte 1234567; read 3 of 4 chunks");

        JsonNode findings = JSON.readTree(get("/api/runs/" + leakyId + "/findings").body());
        assertThat(findings).hasSize(3);
        JsonNode first = findings.get(0);
        assertThat(first.get("id").asText()).isEqualTo("heap.leak-suspect");
        assertThat(first.get("severity").asText()).isEqualTo("critical");
        assertThat(first.get("category").asText()).isEqualTo("heap");
        assertThat(first.get("title").asText()).isEqualTo("static " + TestRuns.EVIL_CLASS + ".ENTRIES retains 61% of the heap");
        assertThat(first.get("evidence").toString())
                .isEqualTo("{\"retainedBytes\":41000000,\"sharePercent\":61.0,\"holder\":\"static " + TestRuns.EVIL_CLASS + ".ENTRIES\"}");
        assertThat(first.get("sources").toString()).isEqualTo("[\"heap.hprof\"]");

        JsonNode artifacts = JSON.readTree(get("/api/runs/" + leakyId + "/artifacts").body());
        assertThat(artifacts).hasSize(2);
        assertThat(artifacts.get(0).get("type").asText()).isEqualTo("jfr");
        assertThat(artifacts.get(0).get("sizeBytes").asLong()).isEqualTo(1_234_567L);
        assertThat(artifacts.get(0).get("sha256").asText()).isEqualTo("ab".repeat(32));

        JsonNode pauses = JSON.readTree(get("/api/runs/" + leakyId + "/summaries/gc.pauses").body());
        assertThat(pauses.get("pauses")).hasSize(2);
        assertThat(pauses.get("timeline").toString()).isEqualTo("{\"collections\":7,"
                + "\"startMs\":[1000,2000,3000,4000,5000,6500,8000],"
                + "\"pauseNanos\":[1000000,2000000,3000000,4000000,5000000,80000000,90000000],\"series\":[1,1,1,1,1,0,0]}");
    }

    @Test
    void dominatorTreeIsServedOneLevelAtATime() throws Exception {
        String base = "/api/runs/" + leakyId + "/heap/dominators";
        JsonNode top = JSON.readTree(get(base).body());
        assertThat(top.get("summary").asText()).isEqualTo("heap.analysis");
        assertThat(top.get("parent").isNull()).isTrue();
        assertThat(top.get("heapBytes").asLong()).isEqualTo(1_000_000L);
        assertThat(nodes(top)).containsExactly("0x1000 java.util.HashMap 48 600000 60.0 children=2",
                "0x2000 java.lang.Thread 120 300000 30.0 children=1");
        assertThat(top.get("nodes").get(0).get("pathToRoot").toString())
                .isEqualTo("[\"static " + TestRuns.EVIL_CLASS + ".ENTRIES\",\"java.util.HashMap\"]");
        assertThat(nodes(JSON.readTree(get(base + "?parent=0x1000").body())))
                .containsExactly("0x1100 java.util.HashMap$Node[] 65552 590000 59.0 children=2", "0x1200 byte[] 9000 9000 0.9 children=0");
        assertThat(nodes(JSON.readTree(get(base + "?summary=heap.analysis&parent=0x1100").body())))
                .containsExactly("0x1110 " + TestRuns.EVIL_CLASS + " 32 200000 20.0 children=0", "0x1120 java.lang.String 24 100000 10.0 children=0");
        assertThat(nodes(JSON.readTree(get(base + "?parent=0x1200").body()))).isEmpty();
        assertThat(get(base + "?parent=0x9999").statusCode()).isEqualTo(404);
        assertThat(get(base + "?summary=gc.pauses").statusCode()).isEqualTo(404);
        assertThat(get("/api/runs/" + cleanId + "/heap/dominators").statusCode()).isEqualTo(404);
    }

    private static List<String> nodes(JsonNode level) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : level.get("nodes")) {
            out.add(n.get("objectId").asText() + " " + n.get("class").asText() + " " + n.get("shallowBytes").asLong() + " "
                    + n.get("retainedBytes").asLong() + " " + n.get("percent").asDouble() + " children=" + n.get("children").asInt());
        }
        return out;
    }

    @Test
    void unknownRunAndSummaryAre404() throws Exception {
        assertThat(get("/api/runs/nope").statusCode()).isEqualTo(404);
        assertThat(get("/api/runs/" + leakyId + "/summaries/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void everyResponseCarriesAStrictContentSecurityPolicy() throws Exception {
        for (String path : List.of("/", "/runs/" + leakyId, "/api/runs", "/static/app.css")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).contains(SecurityFilter.CSP);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
        }
        // No page has inline script: every script is a same-origin file.
        for (String path : List.of("/", "/runs/" + leakyId)) {
            String html = get(path).body();
            assertThat(html).doesNotContainPattern("<script>|<script [^>]*>[^<]+</script>|\\son[a-z]+=\"");
        }
    }

    @Test
    void uploadWithoutTheCsrfHeaderIsRefusedAndStoresNothing() throws Exception {
        Multipart body = new Multipart().file("files", "a.collapsed", "main;work 10\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/runs"))
                .header("Content-Type", body.contentType()).POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(store.list()).hasSize(2);
        assertThat(workspace.resolve("uploads")).doesNotExist();
    }

    @Test
    void uploadFromAnotherOriginIsRefused() throws Exception {
        Multipart body = new Multipart().file("files", "a.collapsed", "main;work 10\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/runs"))
                .header("Content-Type", body.contentType())
                .header("Cookie", "hotpath_csrf=abc").header("X-CSRF-Token", "abc")
                .header("Origin", "http://evil.example")
                .POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(store.list()).hasSize(2);
    }

    @Test
    void uploadIsStoredInsideTheWorkspaceUnderASafeName() throws Exception {
        byte[] content = "java.lang.Thread.run;com.acme.Work.run 42\n".getBytes(StandardCharsets.UTF_8);
        Multipart body = new Multipart().file("files", "../../../etc/passwd<x>.collapsed", content).field("name", "uploaded run");
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode created = JSON.readTree(r.body());
        assertThat(created.get("name").asText()).isEqualTo("uploaded run");
        Run stored = store.load(created.get("id").asText()).orElseThrow();
        Path file = stored.artifacts().get(0).path();
        assertThat(file.normalize().startsWith(workspace.resolve("uploads"))).isTrue();
        assertThat(file.getFileName().toString()).isEqualTo("00-passwd_x_.collapsed");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        try (Stream<Path> all = Files.walk(workspace.resolve("uploads"))) {
            assertThat(all.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void uploadOfAnUnknownFileIsRefusedWithTheReasonAndLeavesNothingBehind() throws Exception {
        Multipart body = new Multipart().file("files", "notes.txt", "just some words\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(r.body()).get("error").asText()).startsWith("").contains("nothing usable in the upload: ").contains("00-notes.txt");
        assertThat(store.list()).hasSize(2);
        try (Stream<Path> all = Files.walk(workspace.resolve("uploads"))) {
            assertThat(all.filter(Files::isRegularFile).count()).isZero();
        }
    }

    @Test
    void uploadOverTheLimitIsRefused() throws Exception {
        server.close();
        server = UiServer.start(store, TestAnalyzers.storing(store),
                new UiOptions("127.0.0.1", 0, null, 64 * 1024, workspace.resolve("uploads")));
        Multipart body = new Multipart().file("files", "big.collapsed", new byte[200 * 1024]);
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(store.list()).hasSize(2);
    }

    @Test
    void bindingBeyondLoopbackRequiresAToken() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new UiOptions("0.0.0.0", 0, null, 1024, workspace))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--bind 0.0.0.0 exposes the UI beyond this machine: also give --token T");
    }

    @Test
    void withATokenEveryRequestMustCarryIt() throws Exception {
        server.close();
        server = UiServer.start(store, TestAnalyzers.storing(store),
                new UiOptions("127.0.0.1", 0, "s3cret", UiOptions.DEFAULT_MAX_UPLOAD_BYTES, workspace.resolve("uploads")));
        assertThat(get("/api/runs").statusCode()).isEqualTo(401);
        HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(uri("/api/runs")).header("Authorization", "Bearer s3cret").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bearer.statusCode()).isEqualTo(200);
        HttpResponse<String> viaQuery = get("/?token=s3cret");
        assertThat(viaQuery.statusCode()).isEqualTo(200);
        assertThat(viaQuery.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("hotpath_token=s3cret;") && c.contains("HttpOnly"));
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/?token=s3cret");
    }

    private HttpResponse<String> post(Multipart body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/api/runs"))
                .header("Content-Type", body.contentType())
                .header("Cookie", "hotpath_csrf=t0k3n").header("X-CSRF-Token", "t0k3n")
                .header("Origin", "http://127.0.0.1:" + server.port())
                .POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** A multipart/form-data body. */
    static final class Multipart {
        private final String boundary = "----hotpath" + System.nanoTime();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart file(String field, String filename, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        HttpRequest.BodyPublisher publisher() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return HttpRequest.BodyPublishers.ofByteArray(all.toByteArray());
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
