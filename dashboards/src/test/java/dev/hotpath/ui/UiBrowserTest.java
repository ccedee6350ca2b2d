package dev.hotpath.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Mouse;
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

    @Test
    void dominatorTreeExpandsANodeByFetchingItsChildren() {
        Page page = page();
        page.navigate(base() + "/runs/" + leakyId);
        page.locator("button[data-tab='heap.analysis']").click();
        page.locator("table.dom-tree[data-loaded=true]").waitFor();
        Locator nodes = page.locator("table.dom-tree tbody tr");
        String holder = "static " + TestRuns.EVIL_CLASS + ".ENTRIES";
        String map = "▸ java.util.HashMap|0x1000|48 B|585.9 KiB|60.00%|" + holder;
        String thread = "▸ java.lang.Thread|0x2000|120 B|293.0 KiB|30.00%|thread " + TestRuns.EVIL_THREAD;
        assertThat(cells(nodes)).containsExactly(map, thread);

        page.locator("tr[data-object-id='0x1000'] button.expand").click();
        page.locator("tr[data-object-id='0x1100']").waitFor();
        assertThat(cells(nodes)).containsExactly(map.replace('▸', '▾'),
                "▸ java.util.HashMap$Node[]|0x1100|64.0 KiB|576.2 KiB|59.00%|" + holder,
                "· byte[]|0x1200|8.8 KiB|8.8 KiB|0.90%|" + holder,
                thread);
        page.locator("tr[data-object-id='0x1100'] button.expand").click();
        page.locator("tr[data-object-id='0x1110']").waitFor();
        assertThat(cells(nodes)).containsExactly(map.replace('▸', '▾'),
                "▾ java.util.HashMap$Node[]|0x1100|64.0 KiB|576.2 KiB|59.00%|" + holder,
                "· " + TestRuns.EVIL_CLASS + "|0x1110|32 B|195.3 KiB|20.00%|" + holder,
                "· java.lang.String|0x1120|24 B|97.7 KiB|10.00%|" + holder,
                "· byte[]|0x1200|8.8 KiB|8.8 KiB|0.90%|" + holder,
                thread);
        assertThat(nodes.nth(2).getAttribute("data-depth")).isEqualTo("2");
        assertThat(page.locator(".suspect .ftitle").innerText()).isEqualTo(holder + " retains 60% of the heap");
        assertThat(page.locator(".suspect ol.path li").allInnerTexts())
                .containsExactly(holder, "java.util.HashMap", "java.util.HashMap$Node[]");
        assertThat(page.locator("#panel-view h3").allInnerTexts())
                .containsExactly("leak suspects", "dominator tree", "histogram", "growth");
        assertThat(page.locator("#panel-view img").count()).isZero();
        assertThat(page.locator("#panel-view script").count()).isZero();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("heap.png")).setFullPage(true));

        // sorting by a header sorts each open level's siblings; children stay under their parent
        Locator headers = page.locator("table.dom-tree thead th");
        String nodeArray = "▾ java.util.HashMap$Node[]|0x1100|64.0 KiB|576.2 KiB|59.00%|" + holder;
        String evil = "· " + TestRuns.EVIL_CLASS + "|0x1110|32 B|195.3 KiB|20.00%|" + holder;
        String string = "· java.lang.String|0x1120|24 B|97.7 KiB|10.00%|" + holder;
        String bytes = "· byte[]|0x1200|8.8 KiB|8.8 KiB|0.90%|" + holder;
        headers.nth(0).click();
        assertThat(page.locator("table.dom-tree").getAttribute("data-sort")).isEqualTo("class asc");
        assertThat(cells(nodes)).containsExactly(thread, map.replace('▸', '▾'), bytes, nodeArray, evil, string);
        assertThat(nodes.nth(4).getAttribute("data-depth")).isEqualTo("2");
        headers.nth(3).click();
        assertThat(page.locator("table.dom-tree").getAttribute("data-sort")).isEqualTo("retained desc");
        assertThat(cells(nodes)).containsExactly(map.replace('▸', '▾'), nodeArray, evil, string, bytes, thread);
        headers.nth(3).click();
        assertThat(headers.nth(3).getAttribute("class")).isEqualTo("num sortable sorted-asc");
        assertThat(cells(nodes)).containsExactly(thread, map.replace('▸', '▾'), bytes, nodeArray, string, evil);
        // a level opened while sorted comes sorted
        page.locator("tr[data-object-id='0x1100'] button.expand").click();
        assertThat(cells(nodes)).containsExactly(thread, map.replace('▸', '▾'), bytes, nodeArray.replace('▾', '▸'));
        page.locator("tr[data-object-id='0x1100'] button.expand").click();
        page.locator("tr[data-object-id='0x1110']").waitFor();
        assertThat(cells(nodes)).containsExactly(thread, map.replace('▸', '▾'), bytes, nodeArray, string, evil);
        headers.nth(3).click();

        page.locator("tr[data-object-id='0x1000'] button.expand").click();
        assertThat(cells(nodes)).containsExactly(map, thread);
        assertThat(dialogs).isEmpty();
        page.close();
    }

    @Test
    void selectingAnIoSiteShowsItsLatencyHistogram() {
        Page page = page();
        page.navigate(base() + "/runs/" + leakyId);
        page.locator("button[data-tab='io.snapshot']").click();
        Locator sites = page.locator("table.io-sites tbody tr");
        sites.first().waitFor();
        assertThat(cells(sites)).containsExactly(
                TestRuns.EVIL_CLASS + ".append(Cache.java:88)|file|write|/data/<i>seg</i>.log|5|50 B|||1.02 µs|60.0 µs|60.0 µs|sequential",
                "com.acme.Old.read(Old.java:1)|file|read|/data/old|2|8 B|||900 ns|900 ns|900 ns|n/a",
                "com.acme.Idx.get(Idx.java:7)|file|read|/data/idx|10160|39.7 MiB|128.0 KiB|317.5x|20.0 µs|90.0 µs|120.0 µs|random",
                // a saturated estimate: a lower bound of the distinct bytes, an upper bound of the amplification
                "com.acme.Scan.all(Scan.java:12)|file|read|/data/big|4096|1.0 GiB|≥155.3 MiB|≤6.6x|20.0 µs|90.0 µs|120.0 µs|sequential");
        // the amplification column sorts by its number, largest first
        page.locator("table.io-sites th", new Page.LocatorOptions().setHasText("amplif")).click();
        assertThat(cells(sites).get(0)).startsWith("com.acme.Idx.get(Idx.java:7)|");
        assertThat(cells(sites).get(1)).startsWith("com.acme.Scan.all(Scan.java:12)|");
        // ascending: the rows without an estimate first, in their order (the selections below rely on it)
        page.locator("table.io-sites th", new Page.LocatorOptions().setHasText("amplif")).click();
        assertThat(cells(sites).get(0)).startsWith(TestRuns.EVIL_CLASS);
        assertThat(cells(sites).get(1)).startsWith("com.acme.Old.read(Old.java:1)|");
        sites.nth(0).click();
        Locator bars = page.locator(".io-histogram table.histogram tbody tr");
        bars.first().waitFor();
        assertThat(bars.count()).isEqualTo(3);
        assertThat(List.of(bars.nth(0).getAttribute("data-count"), bars.nth(1).getAttribute("data-count"),
                bars.nth(2).getAttribute("data-count"))).containsExactly("3", "1", "1");
        assertThat(cells(bars)).containsExactly("896 ns – 1.02 µs||3|60.0%", "49.2 µs – 57.3 µs||1|20.0%",
                "57.3 µs – 65.5 µs||1|20.0%");
        assertThat(page.locator(".io-histogram .ftitle").innerText()).isEqualTo(TestRuns.EVIL_CLASS + ".append(Cache.java:88)");
        assertThat(page.locator("#panel-view img").count()).isZero();
        assertThat(page.locator("#panel-view i").count()).isZero();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("io.png")).setFullPage(true));
        sites.nth(1).click();
        assertThat(page.locator(".io-histogram p").innerText()).isEqualTo("This snapshot has no latency buckets for the site "
                + "(an older agent); percentiles: p50 900 ns, p99 900 ns, max 900 ns.");
        page.close();
    }

    @Test
    void gcTimelineDrawsEveryPauseByCollectorAndCause() {
        Page page = page();
        page.navigate(base() + "/runs/" + leakyId);
        page.locator("button[data-tab='gc.pauses']").click();
        Locator canvas = page.locator("canvas.gc-timeline");
        canvas.waitFor();
        page.waitForFunction("() => document.querySelector('canvas.gc-timeline').hasAttribute('data-drawn')");
        assertThat(canvas.getAttribute("data-pauses")).isEqualTo("7");
        assertThat(canvas.getAttribute("data-drawn")).isEqualTo("7");
        assertThat(page.locator(".gc-info").innerText()).isEqualTo("7 pauses · longest 90.0 ms");
        Locator series = page.locator(".legend .series");
        assertThat(series.allInnerTexts()).containsExactly("■ G1Full · " + TestRuns.EVIL_CAUSE + " (2)",
                "■ G1New · G1 Evacuation Pause (5)");
        assertThat(page.locator(".heap-after-gc").getAttribute("data-samples")).isEqualTo("7");
        assertThat(page.locator("#panel-view img").count()).isZero();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("gc.png")).setFullPage(true));

        // drag from 1.5 s to 4.5 s after the first pause (pauses at 0, 1, 2, 3, 4, 5.5 and 7 s): the three young
        // pauses at 2, 3 and 4 s remain, and the y axis is theirs (5 ms) rather than the full GC's 90 ms
        assertThat(page.locator("button.gc-reset").isHidden()).isTrue();
        List<?> box = (List<?>) page.evaluate("() => { const c = document.querySelector('canvas.gc-timeline');"
                + " const r = c.getBoundingClientRect(); return [r.left + c.clientLeft, r.top + c.clientTop, c.clientWidth, c.clientHeight]; }");
        double left = ((Number) box.get(0)).doubleValue();
        double top = ((Number) box.get(1)).doubleValue();
        double width = ((Number) box.get(2)).doubleValue();
        double middle = top + ((Number) box.get(3)).doubleValue() / 2;
        // the plot spans 60 px from the left edge to 10 px from the right, over 7 s
        java.util.function.DoubleUnaryOperator x = s -> left + 60 + s / 7.0 * (width - 70);
        page.mouse().move(x.applyAsDouble(1.5), middle);
        page.mouse().down();
        page.mouse().move(x.applyAsDouble(3.0), middle, new Mouse.MoveOptions().setSteps(4));
        page.mouse().move(x.applyAsDouble(4.5), middle, new Mouse.MoveOptions().setSteps(4));
        page.mouse().up();
        assertThat(canvas.getAttribute("data-drawn")).isEqualTo("3");
        assertThat(page.locator(".gc-info").innerText()).isEqualTo("3 of 7 pauses between 1.5 and 4.5 s from the first pause"
                + " · longest 5.00 ms");
        assertThat(page.locator("button.gc-reset").isVisible()).isTrue();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("gc-zoomed.png")).setFullPage(true));
        // a click without a drag is not a zoom
        page.mouse().click(x.applyAsDouble(2.0), middle);
        assertThat(canvas.getAttribute("data-drawn")).isEqualTo("3");
        page.locator("button.gc-reset").click();
        assertThat(canvas.getAttribute("data-drawn")).isEqualTo("7");
        assertThat(page.locator(".gc-info").innerText()).isEqualTo("7 pauses · longest 90.0 ms");
        assertThat(page.locator("button.gc-reset").isHidden()).isTrue();
        // zoomed again and double-clicked: the whole run
        page.mouse().move(x.applyAsDouble(5.0), middle);
        page.mouse().down();
        page.mouse().move(x.applyAsDouble(7.3), middle, new Mouse.MoveOptions().setSteps(4));
        page.mouse().up();
        assertThat(canvas.getAttribute("data-drawn")).isEqualTo("2");
        assertThat(page.locator(".gc-info").innerText()).isEqualTo("2 of 7 pauses between 5.0 and 7.0 s from the first pause"
                + " · longest 90.0 ms");
        page.mouse().dblclick(x.applyAsDouble(6.0), middle);
        assertThat(canvas.getAttribute("data-drawn")).isEqualTo("7");
        assertThat(dialogs).isEmpty();
        page.close();
    }

    @Test
    void memoryTimelineJoinsRssNmtAndHeap() {
        Page page = page();
        page.navigate(base() + "/runs/" + leakyId);
        page.locator("button[data-tab='memory']").click();
        page.locator(".memory-series").waitFor();
        assertThat(page.locator(".memory-series").innerText()).isEqualTo("RSS: 4 samples · NMT committed: 1 samples · "
                + "heap committed (NMT): 1 samples · heap used after GC: 7 samples");
        assertThat(page.locator("#panel-view table thead th").allInnerTexts()).containsExactly("seconds", "RSS MiB",
                "NMT committed MiB", "heap committed (NMT) MiB", "heap used after GC MiB");
        Locator rows = page.locator("#panel-view table tbody tr");
        assertThat(rows.count()).isEqualTo(13);
        // t=0 is the first RSS sample; the first GC at 1 s leaves 9.5 MiB; NMT's snapshot at 1.5 s: 100 MiB committed,
        // 64 MiB of it heap
        assertThat(cells(rows).subList(0, 5)).containsExactly("0|97.7|||", "1||||9.5", "1|117.2|||",
                "1.5||100||", "1.5|||64|");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("memory.png")).setFullPage(true));
        page.close();
    }

    /** Each row's cells' visible text joined with "|". */
    private static List<String> cells(Locator rows) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rows.count(); i++) {
            out.add(String.join("|", rows.nth(i).locator("td").allInnerTexts()));
        }
        return out;
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }
}
