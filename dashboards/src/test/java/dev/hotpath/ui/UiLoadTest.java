package dev.hotpath.ui;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Category;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.store.WorkspaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI under load on loopback: many concurrent real HTTP clients against the runs list and a large run, and
 * upload limits under concurrency. Asserts correctness (every body identical to the first), no errors and bounded
 * memory; never throughput or latency.
 */
class UiLoadTest {
    private static final int CLIENTS = 50;
    private static final Duration LOAD_TIME = Duration.ofSeconds(20);
    /** Per client; bounds the loop by count as well as by time. */
    private static final int MAX_REQUESTS_PER_CLIENT = 400;
    private static final int BIG_FINDINGS = 5_000;
    private static final int BIG_STACKS = 5_000;
    /**
     * Generous: the machine running the tests may be shared and slow; a request is an error only if it gets no
     * answer at all in this time (the loop itself stops issuing requests after LOAD_TIME).
     */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(3);
    /**
     * Measured growth is 25-40 MiB (thread-pool and buffer-pool warm-up, client objects not yet collected); one
     * leaked findings response (~0.6 MB) per request would exceed this bound within the first ~160 requests.
     */
    private static final long MAX_HEAP_GROWTH = 96L * 1024 * 1024;

    @TempDir
    Path workspace;

    private WorkspaceStore store;
    private UiServer server;
    private String bigId;

    @BeforeEach
    void start() throws Exception {
        store = WorkspaceStore.open(workspace.toString());
        for (int i = 0; i < 30; i++) {
            store.save(TestRuns.cleanRun("baseline " + i, Instant.parse("2026-11-01T10:00:00Z").plusSeconds(i * 3600L)));
        }
        bigId = store.save(bigRun());
        server = UiServer.start(store, TestAnalyzers.storing(store), UiOptions.loopback(0, workspace.resolve("uploads")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        store.close();
    }

    @Test
    void fiftyClientsGetIdenticalAnswersWithoutErrorsAndBoundedMemory() throws Exception {
        List<String> paths = List.of("/api/runs", "/api/runs/" + bigId + "/findings",
                "/api/runs/" + bigId + "/summaries/profile.cpu", "/api/runs/" + bigId);
        HttpClient warm = HttpClient.newHttpClient();
        Map<String, String> expected = new LinkedHashMap<>();
        for (String p : paths) {
            HttpResponse<String> r = warm.send(request(p), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(p).isEqualTo(200);
            expected.put(p, r.body());
        }
        // The expected bodies are what the contract says, not merely self-consistent.
        assertThat(countOccurrences(expected.get(paths.get(1)), "\"id\":\"rule.")).isEqualTo(BIG_FINDINGS);
        assertThat(countOccurrences(expected.get(paths.get(2)), "\"stack\":")).isEqualTo(BIG_STACKS);
        assertThat(countOccurrences(expected.get(paths.get(0)), "\"id\":")).isEqualTo(31);
        // One warm round so lazily-initialised server parts are counted in the baseline, not as growth.
        for (String p : paths) {
            warm.send(request(p), HttpResponse.BodyHandlers.ofString());
        }
        long heapBefore = heapUsedAfterGc();
        int threadsBefore = Thread.activeCount();

        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong requests = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long deadline = System.nanoTime() + LOAD_TIME.toNanos();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                    {
                        go.await();
                        // The first request always goes out, so all 50 are in flight together however slow the machine.
                        for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && (i == 0 || System.nanoTime() < deadline); i++) {
                            String p = paths.get((client + i) % paths.size());
                            try {
                                HttpResponse<String> r = http.send(request(p), HttpResponse.BodyHandlers.ofString());
                                requests.incrementAndGet();
                                bytes.addAndGet(r.body().length());
                                if (r.statusCode() != 200) {
                                    errors.add(p + ": HTTP " + r.statusCode() + " " + abbreviate(r.body()));
                                } else if (!r.body().equals(expected.get(p))) {
                                    errors.add(p + ": body differs from the first response (" + r.body().length() + " chars)");
                                }
                            } catch (Exception e) {
                                errors.add(p + ": " + e);
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : clients) {
                f.get(LOAD_TIME.toSeconds() + REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        System.out.printf("UiLoadTest: %d clients, %d requests, %d chars served, heap after GC %d -> %d bytes%n",
                CLIENTS, requests.get(), bytes.get(), heapBefore, heapUsedAfterGc());
        assertThat(errors).isEmpty();
        // Every client got answers (clients start on different paths, so all four were served concurrently).
        assertThat(requests.get()).isGreaterThanOrEqualTo(CLIENTS);
        long heapAfter = heapUsedAfterGc();
        assertThat(heapAfter - heapBefore).as("heap used after GC grew from %d to %d bytes over %d requests (%d chars served)",
                heapBefore, heapAfter, requests.get(), bytes.get()).isLessThan(MAX_HEAP_GROWTH);
        // Threads stay bounded: Jetty's pool (at most 200, idle ones linger a minute) plus one selector thread per
        // client HttpClient (they end once the clients are collected).
        assertThat(Thread.activeCount()).isLessThan(threadsBefore + 200 + CLIENTS);
        assertThat(store.list()).hasSize(31);
    }

    private static final int CLOSED_BEFORE_ANSWER = -1;

    @Test
    void oversizedUploadsAre413AndStoreNothingEvenWhenConcurrent() throws Exception {
        server.close();
        server = UiServer.start(store, TestAnalyzers.storing(store),
                new UiOptions("127.0.0.1", 0, null, 64 * 1024, workspace.resolve("uploads")));
        long fdsBefore = openFiles();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> results = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try {
            for (int i = 0; i < 32; i++) {
                // Half declare their length; half stream it so the limit has to be enforced while reading.
                boolean chunked = i % 2 == 1;
                results.add(pool.submit(() -> {
                    UiApiTest.Multipart body = new UiApiTest.Multipart()
                            .file("files", "big.collapsed", "main;work 1\n".repeat(20_000).getBytes(StandardCharsets.UTF_8));
                    HttpRequest.BodyPublisher publisher = body.publisher();
                    if (chunked) {
                        publisher = HttpRequest.BodyPublishers.fromPublisher(publisher);
                    }
                    try {
                        return http.send(upload(body.contentType(), publisher), HttpResponse.BodyHandlers.ofString()).statusCode();
                    } catch (java.io.IOException refusedMidBody) {
                        // The server answers 413 as soon as it knows and closes the connection; a client still
                        // sending its body may see the close before it reads the answer. Either way it was refused.
                        return CLOSED_BEFORE_ANSWER;
                    }
                }));
            }
            int answered413 = 0;
            for (Future<Integer> f : results) {
                int status = f.get(60, TimeUnit.SECONDS);
                assertThat(status).isIn(413, CLOSED_BEFORE_ANSWER);
                answered413 += status == 413 ? 1 : 0;
            }
            assertThat(answered413).as("most refusals are read as 413").isGreaterThan(0);
            System.out.printf("UiLoadTest: 32 concurrent uploads of 240,000 bytes against a 64 KiB limit: %d answered "
                    + "413, %d closed before the answer, none stored%n", answered413, results.size() - answered413);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list()).hasSize(31);
        assertThat(regularFiles(workspace.resolve("uploads"))).isZero();
        assertThat(openFiles()).isLessThan(fdsBefore + 40);
    }

    @Test
    void manyConcurrentUploadsAreAllStoredExactly() throws Exception {
        int uploads = 24;
        long fdsBefore = openFiles();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try {
            for (int i = 0; i < uploads; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    UiApiTest.Multipart body = new UiApiTest.Multipart()
                            .file("files", "u" + n + ".collapsed", content(n)).field("name", "upload " + n);
                    return http.send(upload(body.contentType(), body.publisher()), HttpResponse.BodyHandlers.ofString());
                }));
            }
            for (Future<HttpResponse<String>> f : results) {
                HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list()).hasSize(31 + uploads);
        for (int i = 0; i < uploads; i++) {
            Run run = store.load("upload " + i).orElseThrow();
            assertThat(run.artifacts()).hasSize(1);
            assertThat(Files.readAllBytes(run.artifacts().get(0).path())).isEqualTo(content(i));
        }
        assertThat(regularFiles(workspace.resolve("uploads"))).isEqualTo(uploads);
        assertThat(openFiles()).isLessThan(fdsBefore + 40);
        System.out.printf("UiLoadTest: %d concurrent uploads from 12 threads: all 201 and stored byte-exact%n", uploads);
    }

    private static byte[] content(int n) {
        return ("java.lang.Thread.run;com.acme.Work.run;com.acme.Work.step" + n + " " + (n + 1) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private HttpRequest upload(String contentType, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(uri("/api/runs")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .header("Cookie", "hotpath_csrf=t0k3n").header("X-CSRF-Token", "t0k3n")
                .header("Origin", "http://127.0.0.1:" + server.port())
                .POST(body).build();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json").build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static Run bigRun() {
        List<Finding> findings = new ArrayList<>(BIG_FINDINGS);
        Severity[] severities = Severity.values();
        Category[] categories = Category.values();
        for (int i = 0; i < BIG_FINDINGS; i++) {
            findings.add(Finding.builder("rule." + i, categories[i % categories.length])
                    .severity(severities[i % severities.length])
                    .title("finding " + i + " on com.acme.Service" + (i % 97) + ".method" + i)
                    .summary("Summary text of finding " + i + " with some length to make the payload realistic.")
                    .evidence("count", i).evidence("sharePercent", i / 100.0)
                    .recommendation("Fix number " + i).source("recording.jfr").build());
        }
        List<Map<String, Object>> stacks = new ArrayList<>(BIG_STACKS);
        for (int i = 0; i < BIG_STACKS; i++) {
            stacks.add(Map.of("stack", "java.lang.Thread.run;com.acme.Loop.run;com.acme.Handler" + (i % 50) + ".handle;com.acme.Leaf" + i + ".work",
                    "samples", 1 + i % 13));
        }
        Artifact jfr = new Artifact(Path.of("/data/big.jfr"), ArtifactType.JFR, 99_000_000, "12".repeat(32), Map.of());
        return new Run(null, "big run", Instant.parse("2026-11-24T10:00:00Z"), List.of(jfr), findings,
                Map.of("profile.cpu", Map.of("collapsed", stacks)), List.of());
    }

    private static long heapUsedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long min = Long.MAX_VALUE;
        // Several rounds: one System.gc() may leave garbage that a concurrent collector has not reclaimed yet.
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
        }
        return min;
    }

    private static long openFiles() {
        return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
    }

    private static long regularFiles(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    private static int countOccurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
