package dev.hotpath.bench.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.hotpath.analyzer.model.Run;
import dev.hotpath.analyzer.pipeline.Analyzer;
import dev.hotpath.analyzer.store.WorkspaceStore;
import dev.hotpath.ui.PipelineRunAnalyzer;
import dev.hotpath.ui.UiOptions;
import dev.hotpath.ui.UiServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * How the UI copes with big runs: API payload size and time to first render of an I/O call-site table and a flame
 * graph, in Debian's chromium, for a small run (the baseline, measured in the same process) and a big one
 * (10,000 I/O sites, each with six latency buckets; a flame graph of about a million frames). Also the time of a
 * search and of a zoom reset on the big flame graph, measured inside the page (the handlers redraw synchronously).
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am package -DskipTests && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 java -cp
 * "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.hotpath.bench.ui.UiRenderBenchmark} —
 * see README "Benchmarks" for the one-line form.
 */
public final class UiRenderBenchmark {
    private static final int WARMUP = 2;
    private static final int RUNS = 5;

    private UiRenderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("hotpath-ui-bench");
        try (WorkspaceStore store = WorkspaceStore.open(dir.toString())) {
            String small = store.save(run("small", 100, 1_000));
            String big = store.save(run("big", 10_000, 100_000));
            try (UiServer server = UiServer.start(store, new PipelineRunAnalyzer(Analyzer.withInstalledPlugins(), store),
                    UiOptions.loopback(0, dir.resolve("uploads")));
                 Playwright pw = Playwright.create()) {
                Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true)
                        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync", "--no-first-run")));
                String base = "http://127.0.0.1:" + server.port();
                System.out.println("view        run    payload        frames/rows  first render (median of " + RUNS + ", ms)");
                double[] smallIo = measure(browser, base, small, "io.sites", "#panel-view table tbody tr");
                double[] bigIo = measure(browser, base, big, "io.sites", "#panel-view table tbody tr");
                double[] smallFlame = measure(browser, base, small, "profile.cpu", ".flame-info:not(:empty)");
                double[] bigFlame = measure(browser, base, big, "profile.cpu", ".flame-info:not(:empty)");
                print("io table", "small", payload(base, small, "io.sites"), 100, smallIo);
                print("io table", "big", payload(base, big, "io.sites"), 10_000, bigIo);
                print("flame", "small", payload(base, small, "profile.cpu"), frames(browser, base, small), smallFlame);
                print("flame", "big", payload(base, big, "profile.cpu"), frames(browser, base, big), bigFlame);
                System.out.printf(Locale.ROOT, "ratio big/small first render: io table %.2fx, flame %.2fx%n",
                        median(bigIo) / median(smallIo), median(bigFlame) / median(smallFlame));
                interaction(browser, base, big);
                browser.close();
            }
        }
    }

    private static double[] measure(Browser browser, String base, String runId, String tab, String ready) {
        double[] ms = new double[RUNS];
        for (int i = 0; i < WARMUP + RUNS; i++) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 900));
            // a loaded 2-core machine can take longer than Playwright's default 30 s for the big flame graph
            page.setDefaultTimeout(180_000);
            page.navigate(base + "/runs/" + runId);
            page.locator("button[data-tab='" + tab + "']").waitFor();
            long t0 = System.nanoTime();
            page.locator("button[data-tab='" + tab + "']").click();
            page.locator(ready).first().waitFor();
            long t1 = System.nanoTime();
            if (i >= WARMUP) {
                ms[i - WARMUP] = (t1 - t0) / 1e6;
            }
            page.close();
        }
        return ms;
    }

    private static void interaction(Browser browser, String base, String runId) {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 900));
        page.setDefaultTimeout(180_000);
        page.navigate(base + "/runs/" + runId);
        page.locator("button[data-tab='profile.cpu']").click();
        page.locator(".flame-info:not(:empty)").waitFor();
        double[] search = new double[RUNS];
        double[] reset = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            search[i] = ((Number) page.evaluate("() => { const s = document.querySelector('.flame-controls input');"
                    + " const t = performance.now(); s.value = 'method" + (i % 7) + "'; s.dispatchEvent(new Event('input'));"
                    + " return performance.now() - t; }")).doubleValue();
            reset[i] = ((Number) page.evaluate("() => { const b = Array.from(document.querySelectorAll('button'))"
                    + ".find(x => x.textContent === 'reset zoom'); const t = performance.now(); b.click();"
                    + " return performance.now() - t; }")).doubleValue();
        }
        System.out.printf(Locale.ROOT, "big flame graph: search + redraw median %.1f ms, reset zoom + redraw median %.1f ms%n",
                median(search), median(reset));
        page.close();
    }

    private static long frames(Browser browser, String base, String runId) {
        Page page = browser.newPage();
        page.setDefaultTimeout(180_000);
        page.navigate(base + "/runs/" + runId);
        page.locator("button[data-tab='profile.cpu']").click();
        page.locator(".flame-info:not(:empty)").waitFor();
        long n = Long.parseLong(page.locator("canvas.flame").getAttribute("data-frames"));
        page.close();
        return n;
    }

    private static long payload(String base, String runId, String kind) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/api/runs/" + runId + "/summaries/" + kind)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return r.body().length;
    }

    private static void print(String view, String run, long bytes, long items, double[] ms) {
        System.out.printf(Locale.ROOT, "%-11s %-6s %8.1f KiB  %11d  %8.1f (min %.1f, max %.1f)%n", view, run, bytes / 1024.0,
                items, median(ms), Arrays.stream(ms).min().orElse(0), Arrays.stream(ms).max().orElse(0));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** A run with an I/O site table and a CPU profile of the given sizes (deterministic). */
    static Run run(String name, int sites, int stacks) {
        Random random = new Random(42);
        List<Map<String, Object>> rows = new ArrayList<>(sites);
        for (int i = 0; i < sites; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("site", "com.acme.store.Segment" + (i % 97) + ".write" + i + "(Segment.java:" + (10 + i % 900) + ")");
            row.put("kind", i % 5 == 0 ? "socket" : "file");
            row.put("op", i % 3 == 0 ? "read" : "write");
            row.put("target", "/data/seg-" + i + ".log");
            row.put("count", 1000L + random.nextInt(100_000));
            row.put("bytes", 4096L * random.nextInt(100_000));
            row.put("latencyNanos", Map.of("p50", 1200, "p90", 4000, "p99", 20_000, "p999", 90_000, "max", 400_000));
            row.put("pattern", i % 2 == 0 ? "sequential" : "random");
            // six non-empty latency buckets a site, as the agent's snapshot carries them
            List<Map<String, Object>> buckets = new ArrayList<>(6);
            for (int b = 0; b < 6; b++) {
                long from = 1024L << (2 * b);
                buckets.add(Map.of("fromNanos", from, "toNanos", from + (from >> 2), "count", 1L + random.nextInt(1000)));
            }
            row.put("latencyBuckets", buckets);
            rows.add(row);
        }
        // Stacks of depth 8–14 over a few hundred distinct frames, branching at every level: about 10 new frames a stack.
        List<Map<String, Object>> collapsed = new ArrayList<>(stacks);
        for (int i = 0; i < stacks; i++) {
            int depth = 8 + random.nextInt(7);
            StringBuilder sb = new StringBuilder("java.lang.Thread.run");
            for (int d = 0; d < depth; d++) {
                sb.append(";com.acme.pkg").append(d).append(".Class").append(random.nextInt(d < 2 ? 4 : 40))
                        .append(".method").append(random.nextInt(d < 2 ? 3 : 12));
            }
            collapsed.add(Map.of("stack", sb.toString(), "samples", 1 + random.nextInt(50)));
        }
        Map<String, Object> summaries = new LinkedHashMap<>();
        summaries.put("io.sites", Map.of("callSites", rows));
        summaries.put("profile.cpu", Map.of("collapsed", collapsed));
        return new Run(null, name, Instant.now(), List.of(), List.of(), summaries, List.of());
    }
}
