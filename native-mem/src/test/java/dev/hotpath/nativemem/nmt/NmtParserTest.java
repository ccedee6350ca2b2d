package dev.hotpath.nativemem.nmt;

import dev.hotpath.nativemem.NativeFormatException;
import dev.hotpath.nativemem.testapp.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NmtParserTest {
    @TempDir
    Path tmp;

    private static Path fixture(String name) throws Exception {
        return Path.of(NmtParserTest.class.getResource("/nmt/" + name).toURI());
    }

    @Test
    void readsJdk17SummaryTotalsAndCategories() throws Exception {
        NmtReport r = NmtParser.parse(fixture("nmt17-summary.txt"));
        assertThat(r.kind()).isEqualTo(NmtReport.Kind.SUMMARY);
        assertThat(r.pid()).isEqualTo(9871);
        assertThat(r.totalReservedKb()).isEqualTo(7839778);
        assertThat(r.totalCommittedKb()).isEqualTo(473186);
        assertThat(r.mallocKb()).isEqualTo(7386);
        assertThat(r.mmapCommittedKb()).isEqualTo(465800);
        assertThat(r.categories()).hasSize(18);
        assertThat(r.categories().get("Java Heap").committedKb()).isEqualTo(397312);
        assertThat(r.threadCount()).isEqualTo(19);
        NmtCategory thread = r.categories().get("Thread");
        assertThat(thread).isEqualTo(new NmtCategory("Thread", 19506, 850, 0, 0, 30, 118, 0, 20, 19, 0));
        assertThat(r.categories().get("Class").count()).isEqualTo(499);
        assertThat(r.categories().get("Class").mmapCommittedKb()).isEqualTo(128);
    }

    @Test
    void readsJdk17DiffDeltas() throws Exception {
        NmtReport r = NmtParser.parse(fixture("nmt17-diff.txt"));
        assertThat(r.kind()).isEqualTo(NmtReport.Kind.DIFF);
        assertThat(r.totalCommittedKb()).isEqualTo(472839);
        assertThat(r.totalCommittedDeltaKb()).isEqualTo(-345);
        assertThat(r.totalReservedDeltaKb()).isEqualTo(-349);
        NmtCategory thread = r.categories().get("Thread");
        assertThat(thread.committedKb()).isEqualTo(854);
        assertThat(thread.committedDeltaKb()).isEqualTo(4);
        assertThat(r.categories().get("Code").reservedDeltaKb()).isEqualTo(1);
        assertThat(r.categories().get("Class").mallocCount()).isEqualTo(573);
    }

    @Test
    void readsJdk25SummaryWithTagsAndThreadsPlural() throws Exception {
        NmtReport r = NmtParser.parse(fixture("nmt25-summary.txt"));
        assertThat(r.kind()).isEqualTo(NmtReport.Kind.SUMMARY);
        assertThat(r.totalCommittedKb()).isEqualTo(590456);
        assertThat(r.mallocKb()).isEqualTo(133924);
        assertThat(r.categories()).hasSize(19);
        assertThat(r.threadCount()).isEqualTo(18);
        assertThat(r.categories().get("Other"))
                .isEqualTo(new NmtCategory("Other", 125952, 125952, 0, 0, 125952, 492, 0, 0, 0, 0));
        assertThat(r.categories().get("Shared class space").committedKb()).isEqualTo(13908);
        assertThat(r.committedKb("Metaspace")).isEqualTo(204);
    }

    @Test
    void readsJdk25DiffWithTopLevelMallocLine() throws Exception {
        NmtReport r = NmtParser.parse(fixture("nmt25-diff.txt"));
        assertThat(r.kind()).isEqualTo(NmtReport.Kind.DIFF);
        assertThat(r.totalCommittedKb()).isEqualTo(597223);
        assertThat(r.totalCommittedDeltaKb()).isEqualTo(80932);
        assertThat(r.mallocKb()).isEqualTo(140691);
        NmtCategory other = r.categories().get("Other");
        assertThat(other.committedDeltaKb()).isEqualTo(80384);
        assertThat(other.mallocCount()).isEqualTo(516);
        assertThat(r.categories().get("Arena Chunk").committedDeltaKb()).isEqualTo(337);
    }

    @Test
    void readsDetailSitesOfBothJdks() throws Exception {
        NmtReport r25 = NmtParser.parse(fixture("nmt25-detail.txt"));
        assertThat(r25.kind()).isEqualTo(NmtReport.Kind.DETAIL);
        assertThat(r25.sites()).hasSize(228);
        assertThat(r25.sites().get(0)).isEqualTo(new NmtSite(List.of("[0x00007f82f3ec88f2]"), false, 105216, 411, "Other"));
        NmtSite g1 = r25.sites().get(2);
        assertThat(g1.frames()).hasSize(4);
        assertThat(g1.frames().get(0)).startsWith("G1ConcurrentMark::G1ConcurrentMark(");
        assertThat(g1.kb()).isEqualTo(2048);
        assertThat(g1.category()).isEqualTo("GC");
        assertThat(r25.categories().get("Other").committedKb()).isEqualTo(137984);

        NmtReport r17 = NmtParser.parse(fixture("nmt17-detail-trimmed.txt"));
        assertThat(r17.kind()).isEqualTo(NmtReport.Kind.DETAIL);
        assertThat(r17.threadCount()).isEqualTo(299);
        assertThat(r17.sites()).hasSize(20);
        assertThat(r17.sites().get(0).category()).isEqualTo("GC");
        assertThat(r17.sites().get(0).count()).isEqualTo(2);
    }

    @Test
    void readsHotpathTimestampHeader() throws Exception {
        String text = "# hotpath epochMillis=1764064800123\n" + Files.readString(fixture("nmt17-summary.txt"));
        NmtReport r = NmtParser.parse(new StringReader(text), Path.of("summary-0001.txt"));
        assertThat(r.epochMillis()).isEqualTo(1764064800123L);
        assertThat(r.totalCommittedKb()).isEqualTo(473186);
    }

    @Test
    void rejectsOutputOfAJvmWithoutNmt() {
        String text = "4242:\nNative memory tracking is not enabled\n";
        assertThatThrownBy(() -> NmtParser.parse(new StringReader(text), Path.of("nmt.txt")))
                .isInstanceOf(NativeFormatException.class)
                .hasMessage("nmt.txt: native memory tracking was not enabled in the JVM "
                        + "(start it with -XX:NativeMemoryTracking=summary) (line 2)");
    }

    @Test
    void rejectsEmptyAndForeignFiles() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.txt"));
        assertThatThrownBy(() -> NmtParser.parse(empty)).isInstanceOf(NativeFormatException.class)
                .hasMessage(empty + ": empty file, expected jcmd VM.native_memory output");
        Path other = Files.writeString(tmp.resolve("gc.log"), "[0.003s][info][gc] Using G1\n");
        assertThatThrownBy(() -> NmtParser.parse(other)).isInstanceOf(NativeFormatException.class)
                .hasMessage(other + ": not jcmd VM.native_memory output (no 'Native Memory Tracking:' section with a 'Total:' line)");
    }

    private static NmtReport parseLive(ChildJvm jvm, String what, Path jdk) throws Exception {
        String text = jvm.jcmd("VM.native_memory", what);
        try {
            return NmtParser.parse(new StringReader(text), jdk);
        } catch (NativeFormatException e) {
            throw new AssertionError("jcmd VM.native_memory " + what + " printed:\n" + text, e);
        }
    }

    @Test
    void parsesLiveOutputOfJdk17AndJdk25() throws Exception {
        for (Path jdk : List.of(ChildJvm.JDK17, ChildJvm.JDK25)) {
            try (ChildJvm jvm = ChildJvm.start(jdk, List.of("-Xms64m", "-Xmx64m", "-XX:MaxDirectMemorySize=1g", "-XX:NativeMemoryTracking=detail"),
                    Map.of(), "direct", 30_000, null)) { // killed by close() once checked
                jvm.awaitAttachable();
                assertThat(jvm.jcmd("VM.native_memory", "baseline")).contains("Baseline");
                Thread.sleep(1500);
                NmtReport summary = parseLive(jvm, "summary", jdk);
                NmtReport diff = parseLive(jvm, "summary.diff", jdk);
                NmtReport detail = parseLive(jvm, "detail", jdk);
                assertThat(summary.kind()).as(jdk.toString()).isEqualTo(NmtReport.Kind.SUMMARY);
                assertThat(summary.pid()).isEqualTo(jvm.pid());
                // -Xms64m -Xmx64m: the heap is committed in full from the start
                assertThat(summary.categories().get("Java Heap").reservedKb()).isEqualTo(65536);
                assertThat(summary.categories().get("Java Heap").committedKb()).isEqualTo(65536);
                // 256 KiB direct buffers every 10 ms land in "Other": at least 1.5 s worth since the baseline
                assertThat(diff.kind()).isEqualTo(NmtReport.Kind.DIFF);
                assertThat(diff.categories().get("Other").committedDeltaKb()).isGreaterThan(100 * 256);
                assertThat(detail.kind()).isEqualTo(NmtReport.Kind.DETAIL);
                assertThat(detail.sites()).isNotEmpty();
                assertThat(detail.sites().stream().filter(s -> s.category().equals("Other")).mapToLong(NmtSite::kb).sum())
                        .isGreaterThan(100 * 256);
                assertThat(summary.threadCount()).isBetween(5L, 60L);
            }
        }
    }

    @Test
    void detailDiffSitesCarryTheirGrowthSinceTheBaseline() throws Exception {
        // lines as JDK 25 prints them in detail.diff: the delta after the tag, a count delta, or no count at all
        String text = String.join("\n", "4242:", "", "Native Memory Tracking:", "",
                "Total: reserved=1824066KB +437324KB, committed=857166KB +440627KB", "",
                "-                    Symbol (reserved=56686KB +49426KB, committed=56686KB +49426KB)", "",
                "[0x00007f99b8f01c36]StringTable::do_intern(StringWrapperInternal const&, unsigned long, JavaThread*)+0x186",
                "[0x00007f99b891ea4b]JVM_InternString+0x5b",
                "[0x00007f999fed87f2]",
                "                            (malloc=28488KB type=Symbol +25675KB #1823233 +1643229)", "",
                "[0x00007f99b8f0470b]StringTable::create_table()+0x14b",
                "                            (malloc=0KB type=Symbol -512KB)", "",
                "[0x00007f99b8b8d330]MallocSiteTable::new_entry(NativeCallStack const&, MemTag)+0x0",
                "                            (malloc=207KB type=Native Memory Tracking +2KB #2406 +22)", "",
                "[0x00007f99b8bb0939]MemoryReserver::reserve(char*, unsigned long)+0x49",
                "                            (mmap: reserved=6172672KB, committed=749568KB +356352KB Type=Java Heap)", "");
        NmtReport r = NmtParser.parse(new StringReader(text), Path.of("detail.diff.txt"));
        assertThat(r.kind()).isEqualTo(NmtReport.Kind.DETAIL_DIFF);
        assertThat(r.isDiff()).isTrue();
        assertThat(r.categories().get("Symbol").committedDeltaKb()).isEqualTo(49426);
        assertThat(r.sites()).containsExactly(
                new NmtSite(List.of("StringTable::do_intern(StringWrapperInternal const&, unsigned long, JavaThread*)+0x186",
                        "JVM_InternString+0x5b", "[0x00007f999fed87f2]"), false, 28488, 1823233, "Symbol", 25675),
                new NmtSite(List.of("StringTable::create_table()+0x14b"), false, 0, 0, "Symbol", -512),
                new NmtSite(List.of("MallocSiteTable::new_entry(NativeCallStack const&, MemTag)+0x0"), false, 207, 2406,
                        "Native Memory Tracking", 2),
                new NmtSite(List.of("MemoryReserver::reserve(char*, unsigned long)+0x49"), true, 749568, 0, "Java Heap", 356352));
    }

    @Test
    void liveDetailDiffOfAnInterningJvmShowsTheStringTableSite() throws Exception {
        for (Path jdk : List.of(ChildJvm.JDK17, ChildJvm.JDK25)) {
            try (ChildJvm jvm = ChildJvm.start(jdk, List.of("-Xms128m", "-Xmx128m", "-XX:NativeMemoryTracking=detail"),
                    Map.of(), "intern", 30_000, null)) { // killed by close() once checked
                jvm.awaitAttachable();
                assertThat(jvm.jcmd("VM.native_memory", "baseline")).contains("Baseline");
                Thread.sleep(1500);
                NmtReport diff = parseLive(jvm, "detail.diff", jdk);
                assertThat(diff.kind()).as(jdk.toString()).isEqualTo(NmtReport.Kind.DETAIL_DIFF);
                // 1000 new interned strings every 10 ms: at least 1.5 s of them, each a StringTable entry in "Symbol"
                NmtSite intern = diff.sites().stream()
                        .filter(s -> s.frames().stream().anyMatch(f -> f.startsWith("JVM_InternString")))
                        .max(java.util.Comparator.comparingLong(NmtSite::deltaKb)).orElseThrow();
                assertThat(intern.category()).isEqualTo("Symbol");
                assertThat(intern.frames().get(0)).startsWith("StringTable::");
                assertThat(intern.deltaKb()).as(jdk.toString()).isGreaterThan(1024);
                assertThat(intern.kb()).isGreaterThanOrEqualTo(intern.deltaKb());
                assertThat(diff.categories().get("Symbol").committedDeltaKb()).isGreaterThanOrEqualTo(intern.deltaKb());
            }
        }
    }
}
