package dev.hotpath.analyzer.rules.nativemem;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.model.Summary;
import dev.hotpath.analyzer.nativemem.NmtSnapshot;
import dev.hotpath.nativemem.nmt.NmtCategory;
import dev.hotpath.nativemem.nmt.NmtReport;
import dev.hotpath.nativemem.nmt.NmtSite;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules for NMT categories without a rule of their own, and for a lone diff, on hand-made reports (their
 * parsing of real detail.diff output is in NmtParserTest; a real interning JVM under hotpath record is in cli's
 * NativeLeakRecordTest).
 */
class NmtCategoryRulesTest {
    static final List<String> INTERN = List.of(
            "StringTable::do_intern(StringWrapperInternal const&, unsigned long, JavaThread*)+0x186",
            "StringTable::intern(oopDesc*, JavaThread*)+0x98", "JVM_InternString+0x5b", "[0x00007f999fed87f2]");
    static final List<String> OOP_STORAGE = List.of("OopStorage::try_add_block()+0x31", "OopStorage::allocate()+0x3e",
            "WeakHandle::WeakHandle(OopStorage*, Handle)+0x26",
            "StringTable::do_intern(StringWrapperInternal const&, unsigned long, JavaThread*)+0x148");

    static NmtCategory cat(String name, long committedKb, long deltaKb) {
        return new NmtCategory(name, committedKb, committedKb, deltaKb, deltaKb, 0, 0, 0, 0, 0, 0);
    }

    static NmtSnapshot snap(NmtReport.Kind kind, long t, Map<String, Long> committedKb, List<NmtSite> sites) {
        Map<String, NmtCategory> cats = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Long> e : committedKb.entrySet()) {
            cats.put(e.getKey(), cat(e.getKey(), e.getValue(), 0));
            total += e.getValue();
        }
        NmtReport r = new NmtReport(kind, 1, t, total, total, 0, 0, 0, 0, cats, sites);
        return new NmtSnapshot(new Artifact(Path.of("/run/nmt/nmt-" + t + ".txt"), ArtifactType.NMT, 0, null, Map.of()), t, r);
    }

    /** Eleven summaries a minute apart: Symbol +12 MB/min, GC +1 MB/min while the heap grows 20 MB/min, Other +30 MB/min. */
    static List<Summary> series(boolean detailAtEnds) {
        List<Summary> out = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("Java Heap", 262144L + i * 20480L);
            c.put("Symbol", 20480L + i * 12288L);
            c.put("GC", 40960L + i * 1024L);
            c.put("Other", 1024L + i * 30720L);
            c.put("Internal", 2048L);
            List<NmtSite> sites = List.of();
            NmtReport.Kind kind = NmtReport.Kind.SUMMARY;
            if (detailAtEnds && (i == 2 || i == 10)) {
                kind = NmtReport.Kind.DETAIL;
                sites = List.of(new NmtSite(INTERN, false, 10240L + i * 8192L, i * 1000L, "Symbol"),
                        new NmtSite(OOP_STORAGE, false, 4096L + i * 4096L, i * 10L, "Symbol"),
                        new NmtSite(List.of("SymbolTable::allocate_symbol(char const*, int, bool)+0xf2"), false, 6144L, 100, "Symbol"));
            }
            out.add(snap(kind, 1_000_000L + i * 60_000L, c, sites));
        }
        return out;
    }

    @Test
    void aGrowingSymbolCategoryIsOneWarningAndGcGrowthTheHeapExplainsIsNone() {
        List<Finding> f = NativeRulesTest.evaluate(new NmtAnyCategoryGrowthRule(), series(false));
        assertThat(f).hasSize(1);
        Finding s = f.get(0);
        assertThat(s.id()).isEqualTo("native.nmt-category-growth");
        assertThat(s.severity()).isEqualTo(Severity.WARNING);
        assertThat(s.title()).isEqualTo("NMT category 'Symbol' grows 12.0 MB/min");
        // warm-up is the first 20% (2 of 10 minutes): the window is minutes 2..10
        assertThat(s.evidence()).containsEntry("nmtCategory", "Symbol").containsEntry("growthMbPerMin", 12.0)
                .containsEntry("committedStartMb", 44.0).containsEntry("committedEndMb", 140.0)
                .containsEntry("windowSeconds", 480L);
        assertThat(s.summary()).isEqualTo("NMT's 'Symbol' category grows 12.0 MB/min after warm-up (committed 44.0 → 140.0 MB "
                + "over 480 s). No NMT detail output in the run names the native call sites.");
        assertThat(s.sources()).hasSize(9).first().isEqualTo("nmt-1120000.txt");
    }

    /**
     * Compiler committed as a warming-up JVM shows it: most snapshots catch a compile in flight, and later compiles are
     * larger (i × 6 MiB over a 10 MiB base, none in flight at every third minute). Its raw Theil–Sen slope is 6.0
     * MB/min over a 48 MB rise, which the raw judgement would report; what it keeps is flat. The same compiles on
     * top of 8 MB/min that is never returned are reported at that rate.
     */
    @Test
    void compilerMemoryIsJudgedByWhatItKeepsNotByTheCompilesInFlight() {
        List<Summary> warming = new ArrayList<>();
        List<Summary> leaking = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            long inFlight = i % 3 != 0 ? i * 6144L : 0;
            warming.add(snap(NmtReport.Kind.SUMMARY, 1_000_000L + i * 60_000L,
                    Map.of("Java Heap", 262144L, "Compiler", 10240L + inFlight), List.of()));
            leaking.add(snap(NmtReport.Kind.SUMMARY, 1_000_000L + i * 60_000L,
                    Map.of("Java Heap", 262144L, "Compiler", 10240L + i * 8192L + inFlight), List.of()));
        }
        assertThat(NativeRulesTest.evaluate(new NmtAnyCategoryGrowthRule(), warming)).isEmpty();
        List<Finding> f = NativeRulesTest.evaluate(new NmtAnyCategoryGrowthRule(), leaking);
        assertThat(f).hasSize(1);
        assertThat(f.get(0).title()).isEqualTo("NMT category 'Compiler' grows 8.0 MB/min");
        // kept: the least from minute 2 on is minute 3's 34 MB; the last kept point is minute 9's 82 MB (minute 10's
        // 150 MB holds a compile in flight and has no later snapshot to show it kept)
        assertThat(f.get(0).evidence()).containsEntry("growthMbPerMin", 8.0).containsEntry("committedStartMb", 34.0)
                .containsEntry("committedEndMb", 82.0).containsEntry("windowSeconds", 420L);
        assertThat(f.get(0).summary()).startsWith("NMT's 'Compiler' category grows 8.0 MB/min after warm-up (kept "
                + "between compiles 34.0 → 82.0 MB over 420 s).");
    }

    /**
     * A clean 20-second demo's gateway (KB as NMT printed them, 4 s apart): its last snapshot caught a 30 MB compile.
     * Nothing after it shows that memory given back, so it is no evidence of memory kept; with it as the envelope's
     * last point the rule saw "grows 6.6 MB/min" and more on such runs.
     */
    @Test
    void aCompileInFlightAtTheLastSnapshotIsNotMemoryKept() {
        long[] compilerKb = {540, 242, 2225, 2541, 1787, 30937};
        List<Summary> in = new ArrayList<>();
        for (int i = 0; i < compilerKb.length; i++) {
            in.add(snap(NmtReport.Kind.SUMMARY, 1_000_000L + i * 4_000L,
                    Map.of("Java Heap", 262144L, "Compiler", compilerKb[i]), List.of()));
        }
        assertThat(NativeRulesTest.evaluate(new NmtAnyCategoryGrowthRule(), in)).isEmpty();
        // the same values keeping 3 MB more at each snapshot: within 20 s, JIT memory rising is warm-up (pooled
        // arena chunks, compile bursts), not evidence of a leak, so nothing either
        assertThat(NativeRulesTest.evaluate(new NmtAnyCategoryGrowthRule(), keeping(compilerKb, 4_000L))).isEmpty();
        // spread over 100 s, they are reported, from the kept points only: after the warm-up's first 20 s they are
        // 3.2, 8.2, 11.5 and 13.7 MB over 60 s, whose median pairwise slope is 10.2 MB/min
        List<Finding> f = NativeRulesTest.evaluate(new NmtAnyCategoryGrowthRule(), keeping(compilerKb, 20_000L));
        assertThat(f).extracting(Finding::title).containsExactly("NMT category 'Compiler' grows 10.2 MB/min");
        assertThat(f.get(0).evidence()).containsEntry("committedStartMb", 3.2).containsEntry("committedEndMb", 13.7)
                .containsEntry("windowSeconds", 60L);
    }

    /** {@code compilerKb} with 3 MB more kept at each snapshot, {@code gapMillis} apart. */
    private static List<Summary> keeping(long[] compilerKb, long gapMillis) {
        List<Summary> out = new ArrayList<>();
        for (int i = 0; i < compilerKb.length; i++) {
            out.add(snap(NmtReport.Kind.SUMMARY, 1_000_000L + i * gapMillis,
                    Map.of("Java Heap", 262144L, "Compiler", compilerKb[i] + i * 3072L), List.of()));
        }
        return out;
    }

    @Test
    void gcGrowthBeyondTheHeapsShareIsReported() {
        List<Summary> in = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            in.add(snap(NmtReport.Kind.SUMMARY, i * 60_000L + 1, Map.of("Java Heap", 262144L + i * 20480L,
                    "GC", 40960L + i * 10240L), List.of()));
        }
        List<Finding> f = NativeRulesTest.evaluate(new NmtAnyCategoryGrowthRule(), in);
        assertThat(f).hasSize(1);
        assertThat(f.get(0).title()).isEqualTo("NMT category 'GC' grows 10.0 MB/min");
        assertThat(f.get(0).evidence()).containsEntry("javaHeapGrowthMb", 160.0);
        assertThat(f.get(0).summary()).contains(" The Java heap's committed size grew 160.0 MB meanwhile, which explains only part of it.");
    }

    @Test
    void twoDetailSnapshotsNameTheSitesThatGrewBetweenThem() {
        List<Finding> f = NativeRulesTest.evaluate(new NmtAnyCategoryGrowthRule(), series(true));
        assertThat(f).hasSize(1);
        Finding s = f.get(0);
        assertThat(s.title()).isEqualTo("NMT category 'Symbol' grows 12.0 MB/min at StringTable::do_intern ← java.lang.String.intern");
        assertThat(s.evidence()).containsEntry("culprit", "StringTable::do_intern ← java.lang.String.intern");
        assertThat(s.summary()).endsWith(" NMT detail, 480 s apart, puts 64.0 MB under StringTable::do_intern ← "
                + "java.lang.String.intern and 32.0 MB under OopStorage::try_add_block.");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sites = (List<Map<String, Object>>) s.evidence().get("sites");
        assertThat(sites).hasSize(2);
        assertThat(sites.get(0)).containsEntry("growthMb", 64.0)
                .containsEntry("frames", List.of("StringTable::do_intern", "StringTable::intern", "JVM_InternString", "[0x00007f999fed87f2]"));
        assertThat(s.recommendation()).doesNotContain("detail.diff");
    }

    @Test
    void aLoneDetailDiffIsListedAsInfoWithItsLargestSite() {
        Map<String, NmtCategory> cats = new LinkedHashMap<>();
        cats.put("Java Heap", cat("Java Heap", 749568, 356352));
        cats.put("Symbol", cat("Symbol", 56686, 49426));
        cats.put("Native Memory Tracking", cat("Native Memory Tracking", 30000, 29600));
        cats.put("GC", cat("GC", 60000, 7168));
        cats.put("Internal", cat("Internal", 1269, 3));
        List<NmtSite> sites = List.of(new NmtSite(INTERN, false, 28488, 1823233, "Symbol", 25675),
                new NmtSite(OOP_STORAGE, false, 17613, 28537, "Symbol", 15847),
                new NmtSite(List.of("StringTable::create_table()+0x14b"), false, 0, 0, "Symbol", -512));
        NmtReport r = new NmtReport(NmtReport.Kind.DETAIL_DIFF, 1, -1, 0, 0, 0, 440627, 0, 0, cats, sites);
        NmtSnapshot diff = new NmtSnapshot(new Artifact(Path.of("/x/detail.diff.txt"), ArtifactType.NMT, 0, null, Map.of()), 5000, r);
        List<Finding> f = NativeRulesTest.evaluate(new NmtSinceBaselineRule(), List.of(diff));
        assertThat(f).hasSize(1);
        Finding s = f.get(0);
        assertThat(s.severity()).isEqualTo(Severity.INFO);
        assertThat(s.title()).isEqualTo("Since the NMT baseline: Java Heap +348.0 MB, Symbol +48.3 MB, Native Memory Tracking +28.9 MB committed");
        assertThat(s.summary()).isEqualTo("detail.diff.txt compares the JVM with its NMT baseline: committed memory grew 430.3 MB "
                + "in total, Java Heap +348.0 MB, Symbol +48.3 MB, Native Memory Tracking +28.9 MB. Of 'Symbol', 25.1 MB grew "
                + "under StringTable::do_intern ← java.lang.String.intern and 15.5 MB under OopStorage::try_add_block.");
        assertThat(s.evidence().get("growthSinceBaselineMb")).isEqualTo(Map.of("Java Heap", 348.0, "Symbol", 48.3,
                "Native Memory Tracking", 28.9, "GC", 7.0));
        assertThat(s.evidence()).containsEntry("culprit", "StringTable::do_intern ← java.lang.String.intern");
        assertThat(s.recommendation()).contains("For 'Symbol': The symbol and interned-string tables grow");
        // with a series of two or more summaries the growth rules judge, and the diff is not listed again
        List<Summary> withSeries = new ArrayList<>(series(false));
        withSeries.add(diff);
        assertThat(NativeRulesTest.evaluate(new NmtSinceBaselineRule(), withSeries)).isEmpty();
    }

    @Test
    void sitesAreNamedByTheirFirstRealFrameAndTheJavaEntryPoint() {
        assertThat(NmtSites.name(INTERN)).isEqualTo("StringTable::do_intern ← java.lang.String.intern");
        assertThat(NmtSites.name(List.of("os::malloc(unsigned long, MemTag, NativeCallStack const&)+0x2f",
                "Unsafe_AllocateMemory0+0x7c", "[0x00007fe3849455ba]")))
                .isEqualTo("Unsafe_AllocateMemory0 ← jdk.internal.misc.Unsafe.allocateMemory (direct ByteBuffers)");
        assertThat(NmtSites.name(List.of("AllocateHeap(unsigned long, MemTag, AllocFailStrategy::AllocFailEnum)+0x1b",
                "Java_java_util_zip_Inflater_init+0x3c"))).isEqualTo("Java_java_util_zip_Inflater_init ← java.util.zip.Inflater.init");
        assertThat(NmtSites.jniName("com_acme_My_1Lib_open__Ljava_lang_String_2")).isEqualTo("com.acme.My_Lib.open");
        assertThat(NmtSites.jniName("pkg_Caf_000e9_run")).isEqualTo("pkg.Café.run");
        assertThat(NmtSites.name(List.of("[0x00007fe3849455ba]"))).isEqualTo("[0x00007fe3849455ba]");
    }
}
