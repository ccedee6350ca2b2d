package dev.hotpath.nativemem.jemalloc;

import dev.hotpath.nativemem.NativeFormatException;
import dev.hotpath.nativemem.symbols.ElfSymbolCache;
import dev.hotpath.nativemem.symbols.JeprofRunner;
import dev.hotpath.nativemem.symbols.MapRegion;
import dev.hotpath.nativemem.symbols.NativeFrame;
import dev.hotpath.nativemem.symbols.NativeSymbolizer;
import dev.hotpath.nativemem.testapp.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One real JVM leaking Deflaters under jemalloc with profiling on; its final profile and statistics are checked. */
class JemallocTest {
    static final String LIBJEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

    @TempDir
    static Path dir;
    static Path finalProfile;
    static Path stderr;
    static long deflaters;

    @BeforeAll
    static void recordLeak() throws Exception {
        stderr = dir.resolve("stderr.txt");
        String conf = "prof:true,prof_final:true,prof_prefix:" + dir.resolve("jeprof") + ",stats_print:true";
        try (ChildJvm jvm = ChildJvm.start(ChildJvm.JDK17, List.of("-Xmx64m"),
                Map.of("LD_PRELOAD", LIBJEMALLOC, "MALLOC_CONF", conf), "deflater", 3000, stderr)) {
            assertThat(jvm.waitFor()).isZero();
        }
        deflaters = ChildJvm.created(stderr);
        try (Stream<Path> s = Files.list(dir)) {
            finalProfile = s.filter(p -> p.getFileName().toString().endsWith(".f.heap")).findFirst().orElseThrow();
        }
    }

    @Test
    void scaledDeflaterStackMatchesTheLeakAndIsSymbolized() throws Exception {
        HeapProfile p = HeapProfileParser.parse(finalProfile);
        assertThat(p.samplePeriod()).isEqualTo(524288); // jemalloc's default lg_prof_sample:19
        assertThat(p.maps().size()).isGreaterThan(50);
        NativeSymbolizer sym = new NativeSymbolizer(p.maps());
        double deflateBytes = 0;
        for (HeapStack s : p.stacks()) {
            List<String> fns = new ArrayList<>();
            for (int i = 0; i < s.addresses().length; i++) {
                NativeFrame f = sym.symbolize(s.addresses()[i], i > 0);
                fns.add(String.valueOf(f.function()));
            }
            int di = fns.indexOf("deflateInit2_");
            if (di >= 0) {
                assertThat(fns.get(di + 1)).isEqualTo("Java_java_util_zip_Deflater_init");
                deflateBytes += s.bytes();
            }
        }
        // zlib's deflate state at level 6, windowBits 15, memLevel 8 is ~262 KiB (window, prev, head, pending, state)
        double perDeflater = deflateBytes / deflaters;
        assertThat(deflaters).isGreaterThan(200);
        assertThat(perDeflater).isBetween(262_000 * 0.75, 262_000 * 1.25);
    }

    /** Every frame of every stack of {@code p}, as symbolized text. */
    private static List<String> symbolized(HeapProfile p, NativeSymbolizer sym) {
        List<String> frames = new ArrayList<>();
        for (HeapStack s : p.stacks()) {
            for (int i = 0; i < s.addresses().length; i++) {
                frames.add(sym.symbolize(s.addresses()[i], i > 0).toString());
            }
        }
        return frames;
    }

    @Test
    void profilesOfOneRunShareTheElfTablesAndSymbolizeAlike() throws Exception {
        HeapProfile p = HeapProfileParser.parse(finalProfile);
        List<String> alone = symbolized(p, new NativeSymbolizer(p.maps()));
        ElfSymbolCache shared = new ElfSymbolCache();
        assertThat(symbolized(p, new NativeSymbolizer(p.maps(), shared))).isEqualTo(alone);
        // one read per distinct mapped file the stacks reach: libjvm, libz, libzip, libc, jemalloc...
        Set<String> files = new HashSet<>();
        for (HeapStack s : p.stacks()) {
            for (int i = 0; i < s.addresses().length; i++) {
                MapRegion r = p.maps().find(i > 0 ? s.addresses()[i] - 1 : s.addresses()[i]);
                if (r != null && r.fileBacked()) {
                    files.add(r.path());
                }
            }
        }
        assertThat(files).anyMatch(f -> f.endsWith("/libjvm.so")).anyMatch(f -> f.contains("/libz.so"));
        assertThat(shared.reads()).isEqualTo(files.size());
        // a second profile of the same run (here: the same file parsed again) reads nothing more
        HeapProfile again = HeapProfileParser.parse(finalProfile);
        assertThat(symbolized(again, new NativeSymbolizer(again.maps(), shared))).isEqualTo(alone);
        assertThat(shared.reads()).isEqualTo(files.size());
    }

    @Test
    void totalAgreesWithJeprof() throws Exception {
        Path jeprof = JeprofRunner.find();
        assertThat(jeprof).as("jeprof installed (libjemalloc-dev)").isNotNull();
        HeapProfile p = HeapProfileParser.parse(finalProfile);
        List<JeprofRunner.CollapsedStack> stacks = JeprofRunner.collapsed(jeprof,
                ChildJvm.JDK17.resolve("bin/java").toRealPath(), finalProfile, 120);
        long jeprofTotal = stacks.stream().mapToLong(JeprofRunner.CollapsedStack::bytes).sum();
        assertThat(p.totalBytes()).isCloseTo(jeprofTotal, org.assertj.core.data.Percentage.withPercentage(0.5));
        JeprofRunner.CollapsedStack top = stacks.stream().max(Comparator.comparingLong(JeprofRunner.CollapsedStack::bytes))
                .orElseThrow();
        assertThat(top.frames()).containsSubsequence("Java_java_util_zip_Deflater_init", "deflateInit2_");
    }

    @Test
    void statsGiveFragmentation() throws Exception {
        MallocStats st = MallocStatsParser.parse(stderr);
        assertThat(st.version()).startsWith("5.");
        assertThat(st.allocated()).isGreaterThan(deflaters * 200_000);
        assertThat(st.active()).isGreaterThanOrEqualTo(st.allocated());
        assertThat(st.resident()).isGreaterThanOrEqualTo(st.active());
        assertThat(st.narenas()).isPositive();
        assertThat(st.fragmentation()).isEqualTo((double) (st.active() - st.allocated()) / st.active());
        assertThat(st.fragmentation()).isBetween(0.0, 0.5);
    }

    @Test
    void statsTotalsLineIsParsedExactly() throws Exception {
        Path f = dir.resolve("stats.txt");
        Files.writeString(f, """
                ___ Begin jemalloc statistics ___
                Version: "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c"
                  opt.narenas: 8
                Allocated: 1578265360, active: 1675472896, metadata: 15701744 (n_thp 0), resident: 1691684864, mapped: 1716256768, retained: 74186752
                --- End jemalloc statistics ---
                """);
        assertThat(MallocStatsParser.parse(f)).isEqualTo(new MallocStats("5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c",
                1578265360L, 1675472896L, 15701744L, 1691684864L, 1716256768L, 74186752L, 8));
        assertThat(MallocStatsParser.parse(f).fragmentation()).isCloseTo(0.0580, org.assertj.core.data.Offset.offset(0.0001));
    }

    @Test
    void badInputNamesTheFile() throws Exception {
        Path notProfile = Files.writeString(dir.resolve("x.heap"), "heap_v1 whatever\n");
        assertThatThrownBy(() -> HeapProfileParser.parse(notProfile)).isInstanceOf(NativeFormatException.class)
                .hasMessage(notProfile + ": not a jemalloc heap_v2 profile: first line is 'heap_v1 whatever' (line 1)");
        Path cut = Files.writeString(dir.resolve("cut.txt"), "___ Begin jemalloc statistics ___\nVersion: \"5.3.0\"\n");
        assertThatThrownBy(() -> MallocStatsParser.parse(cut)).isInstanceOf(NativeFormatException.class)
                .hasMessage(cut + ": jemalloc statistics block has no 'Allocated: ..., active: ...' totals line (truncated?)");
    }

    @Test
    void scaleMatchesTheSamplingFormula() {
        assertThat(HeapProfile.scale(1, 524288, 524288)).isCloseTo(1 / (1 - Math.exp(-1)), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(HeapProfile.scale(0, 0, 524288)).isEqualTo(1.0);
    }
}
