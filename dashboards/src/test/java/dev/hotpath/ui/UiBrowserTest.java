package dev.hotpath.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FilePayload;
import dev.hotpath.analyzer.store.WorkspaceStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI in a real browser (Debian's chromium driven by Playwright): runs list, run page, a flame graph, upload,
 * and names that carry HTML staying text. Screenshots go to {@code target/screenshots/} (README shows them).
 */
class UiBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path workspace;

    private static WorkspaceStore store;
    private static UiServer server;
    private static Playwright playwright;
    private static Browser browser;
    private static String leakyId;
    private static final List<String> dialogs = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        store = WorkspaceStore.open(workspace.toString());
        leakyId = store.save(TestRuns.leakyRun("nightly ingest", Instant.parse("2026-11-20T10:00:00Z")));
        store.save(TestRuns.cleanRun("clean baseline", Instant.parse("2026-11-21T10:00:00Z")));
        server = UiServer.start(store, TestAnalyzers.storing(store), UiOptions.loopback(0, workspace.resolve("uploads")));
        Files.createDirectories(SHOTS);
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
        if (server != null) server.close();
        if (store != null) store.close();
    }

    private Page page() {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 800));
        page.onDialog(d -> {
            dialogs.add(d.message());
            d.dismiss();
        });
        return page;
    }

    @Test
    void runsListShowsRunsNewestFirstAndFilters() {
        Page page = page();
        page.navigate(base() + "/");
        Locator rows = page.locator("#runs tbody tr");
        rows.first().waitFor();
        assertThat(rows.count()).isEqualTo(2);
        assertThat(rows.nth(0).innerText()).isEqualTo("\t2026-11-21 10:00:00\tclean baseline\tclean\t0\t0\t0\t1");
        assertThat(rows.nth(1).innerText()).isEqualTo("\t2026-11-20 10:00:00\tnightly ingest\tcritical\t1\t1\t1\t2");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("runs.png")));
        page.locator("#filter").fill("nightly");
        assertThat(rows.count()).isEqualTo(1);
        assertThat(rows.nth(0).getAttribute("data-run-id")).isEqualTo(leakyId);
        page.close();
    }

    @Test
    void runPageGroupsFindingsBySeverityAndKeepsHtmlNamesAsText() {
        Page page = page();
        page.navigate(base() + "/");
        page.locator("a", new Page.LocatorOptions().setHasText("nightly ingest")).click();
        page.waitForURL("**/runs/" + leakyId);
        Locator groups = page.locator("#panel-findings .group");
        groups.first().waitFor();
        assertThat(groups.count()).isEqualTo(3);
        assertThat(groups.nth(0).getAttribute("data-severity")).isEqualTo("critical");
        Locator critical = page.locator(".finding[data-finding-id='heap.leak-suspect']");
        assertThat(critical.locator(".ftitle").innerText())
                .isEqualTo("static " + TestRuns.EVIL_CLASS + ".ENTRIES retains 61% of the heap");
        assertThat(critical.locator(".rec").innerText()).isEqualTo("Bound the cache or evict entries.");
        // The hostile names were rendered as text: no element was created from them and no script ran.
        assertThat(page.locator("#panel-findings img").count()).isZero();
        assertThat(page.locator("main script").count()).isZero();
        assertThat(page.locator(".finding[data-finding-id='gc.long-pauses'] .fsummary").innerText())
                .isEqualTo("37 pauses of G1 Evacuation Pause on thread " + TestRuns.EVIL_THREAD);
        assertThat(page.locator(".notes li").innerText()).isEqualTo("recording.jfr: truncated at byte 1234567; read 3 of 4 chunks");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("run.png")).setFullPage(true));

        page.locator("button[data-tab^='artifacts']").click();
        Locator artifactRows = page.locator("#artifacts tbody tr");
        assertThat(artifactRows.count()).isEqualTo(2);
        assertThat(artifactRows.nth(1).locator("td").nth(0).innerText()).isEqualTo(TestRuns.EVIL_FILE);
        assertThat(page.locator("#artifacts b").count()).isZero();
        assertThat(dialogs).isEmpty();
        page.close();
    }

    @Test
    void flameGraphSearchesAndZooms() {
        Page page = page();
        page.navigate(base() + "/runs/" + leakyId);
        page.locator("button[data-tab='profile.cpu']").click();
        Locator canvas = page.locator("canvas.flame");
        canvas.waitFor();
        Locator info = page.locator(".flame-info");
        page.waitForFunction("() => document.querySelector('.flame-info').textContent.length > 0");
        assertThat(canvas.getAttribute("data-frames")).isEqualTo("6");
        assertThat(info.innerText()).isEqualTo("6 frames · total 1000");
        page.locator(".flame-controls input[type=search]").fill("deflate");
        assertThat(info.innerText()).isEqualTo("6 frames · total 1000 · matched 34.00%");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("flame.png")).setFullPage(true));
        // Row 1 is java.lang.Thread.run (all samples); row 2 starts with the first child in code-point order:
        // "com.acme.<img…" sorts before "com.acme.Ingest" because '<' < 'I'.
        canvas.click(new Locator.ClickOptions().setPosition(5, 16 * 2 + 8));
        assertThat(info.innerText()).isEqualTo("6 frames · total 1000 · zoomed to " + TestRuns.EVIL_CLASS + ".get · matched 34.00%");
        page.locator("button", new Page.LocatorOptions().setHasText("reset zoom")).click();
        assertThat(info.innerText()).isEqualTo("6 frames · total 1000 · matched 34.00%");
        page.close();
    }

    @Test
    void twoRunsCompareSideBySide() {
        Page page = page();
        page.navigate(base() + "/");
        page.locator("#runs tbody tr").first().waitFor();
        page.locator("#runs tbody input[type=checkbox]").nth(0).check();
        page.locator("#runs tbody input[type=checkbox]").nth(1).check();
        page.locator("#compare-btn").click();
        page.waitForURL("**/compare?a=" + leakyId + "&b=*");
        Locator rows = page.locator("#compare tbody tr");
        rows.first().waitFor();
        assertThat(rows.count()).isEqualTo(3);
        assertThat(page.locator("#col-a").innerText()).isEqualTo("A: nightly ingest");
        assertThat(page.locator("#col-b").innerText()).isEqualTo("B: clean baseline");
        assertThat(rows.nth(0).getAttribute("data-change")).isEqualTo("gone in B");
        assertThat(rows.nth(0).locator(".ftitle").innerText())
                .isEqualTo("static " + TestRuns.EVIL_CLASS + ".ENTRIES retains 61% of the heap");
        assertThat(page.locator("#compare img").count()).isZero();
        page.close();
    }

    @Test
    void allocatorComparisonIsChartedWithConfidenceIntervals() {
        Page page = page();
        page.navigate(base() + "/runs/" + leakyId);
        page.locator("button[data-tab='allocator-comparison']").click();
        Locator rows = page.locator("table.ab tbody tr");
        rows.first().waitFor();
        assertThat(rows.count()).isEqualTo(2);
        assertThat(rows.nth(0).getAttribute("data-variant")).isEqualTo("jemalloc");
        assertThat(rows.nth(0).getAttribute("data-significant")).isEqualTo("true");
        assertThat(rows.nth(0).innerText()).isEqualTo("jemalloc\t-23.0%\t-27.0% … -19.0%\t\tjemalloc lowers peak RSS by 23% (95% CI −27…−19%)");
        assertThat(rows.nth(1).getAttribute("data-significant")).isEqualTo("false");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("allocators.png")).setFullPage(true));
        page.close();
    }

    @Test
    void aColumnarTimelineIsChartedAndTabulated() {
        Page page = page();
        page.navigate(base() + "/runs/" + leakyId);
        page.locator("button[data-tab='native.rss']").click();
        page.locator("#panel-view canvas.chart").waitFor();
        Locator rows = page.locator("#panel-view table tbody tr");
        assertThat(rows.count()).isEqualTo(4);
        assertThat(rows.nth(3).innerText()).isEqualTo("3000\t160000\t150000");
        assertThat(page.locator("#panel-view table thead tr").innerText()).isEqualTo("epochMillis\trssKb\tpssKb");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("timeline.png")).setFullPage(true));
        page.close();
    }

    @Test
    void uploadCreatesARunAndOpensIt() {
        Page page = page();
        page.navigate(base() + "/");
        page.locator("#runs tbody tr").first().waitFor();
        page.locator("#upload-name").fill("browser upload");
        page.locator("#upload-files").setInputFiles(new FilePayload("cpu.collapsed", "text/plain",
                "java.lang.Thread.run;com.acme.Work.run 42\n".getBytes(StandardCharsets.UTF_8)));
        page.waitForURL("**/runs/*");
        page.locator("#run-title").waitFor();
        page.waitForFunction("() => document.getElementById('run-title').textContent.length > 0");
        assertThat(page.locator("#run-title").innerText()).isEqualTo("browser upload");
        page.close();
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }
}
