package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.StaticCacheLeak;
import dev.hotpath.analyzer.model.UnusableInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** gzip dumps, truncated dumps and files that are not HPROF 1.0.2. */
class HprofInputsTest {
    static final String HOLDER = "static dev.hotpath.analyzer.heap.apps.StaticCacheLeak.ENTRIES";

    @TempDir
    static Path shared;
    static Path plain;
    static Path gzip;

    @TempDir
    Path dir;

    @BeforeAll
    static void dumpOnce() throws Exception {
        Path dumps = Files.createDirectories(shared.resolve("dumps"));
        try (JvmFixture jvm = JvmFixture.start(StaticCacheLeak.class)) {
            plain = jvm.dump(dumps.resolve("plain.hprof"), false);
            gzip = jvm.dump(dumps.resolve("compressed.hprof.gz"), true);
        }
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void gzipDumpIsDecompressedIntoTheWorkDirAndGivesTheSameAnswer() throws Exception {
        try (InputStream in = Files.newInputStream(gzip)) {
            assertThat(in.read()).isEqualTo(0x1f);
        }
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> before = listing(gzip.getParent());
        HeapReport z = new HeapEngine().workDir(work).analyze(gzip);
        HeapReport p = new HeapEngine().workDir(work).analyze(plain);
        assertThat(z.suspects().get(0).holder()).isEqualTo(HOLDER);
        assertThat(z.objects()).isEqualTo(p.objects());
        assertThat(z.shallowBytes()).isEqualTo(p.shallowBytes());
        assertThat(z.suspects().get(0).retainedBytes()).isEqualTo(p.suspects().get(0).retainedBytes());
        assertThat(listing(work)).as("the decompressed copy is deleted").isEmpty();
        assertThat(listing(gzip.getParent())).as("nothing written beside the dump").isEqualTo(before);
    }

    @Test
    void truncatedDumpIsReadAsFarAsItGoesAndSaysWhere() throws Exception {
        long full = Files.size(plain);
        long cut = full * 6 / 10;
        Path truncated = dir.resolve("cut.hprof");
        try (InputStream in = Files.newInputStream(plain); OutputStream out = Files.newOutputStream(truncated)) {
            out.write(in.readNBytes((int) cut));
        }
        HeapReport complete = new HeapEngine().analyze(plain);
        HeapReport r = new HeapEngine().analyze(truncated);
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("cut.hprof: truncated at byte "));
        String note = r.notes().stream().filter(n -> n.startsWith("cut.hprof: truncated")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("truncated at byte (\\d+); analysed the (\\d+) objects before it").matcher(note);
        assertThat(m.find()).as(note).isTrue();
        long at = Long.parseLong(m.group(1));
        assertThat(at).isLessThanOrEqualTo(cut).isGreaterThan(cut - 2_000_000);
        assertThat(Long.parseLong(m.group(2))).isEqualTo(r.objects()).isLessThan(complete.objects()).isPositive();
    }

    @Test
    void truncatedJdk17DumpWithoutItsRootsStillNamesTheStaticHolder() throws Exception {
        // JDK 17 writes the GC roots after every object (this fixture's take about 5 KB): 16 KiB before the end none
        // has been read, while the list, written before them, is in
        long cut = Files.size(plain) - 16 * 1024;
        Path truncated = dir.resolve("cut90.hprof");
        try (InputStream in = Files.newInputStream(plain); OutputStream out = Files.newOutputStream(truncated)) {
            out.write(in.readNBytes((int) cut));
        }
        HeapReport r = new HeapEngine().analyze(truncated);
        assertThat(r.suspects()).isNotEmpty();
        HeapReport.Suspect s = r.suspects().get(0);
        assertThat(s.holder()).isEqualTo(HOLDER);
        assertThat(s.className()).isEqualTo("java.util.ArrayList");
        assertThat(s.accumulation().className()).isEqualTo("java.lang.Object[]");
        assertThat(s.accumulation().elementClass()).isEqualTo("byte[]");
        // the list's size field says 20000; the entries after the cut are missing from its retained bytes
        assertThat(s.accumulation().elements()).isEqualTo(20_000);
        assertThat(r.gcRoots()).as("one assumed root per class").isEqualTo(r.classes());
        HeapReport complete = new HeapEngine().analyze(plain);
        assertThat(s.retainedBytes()).isLessThanOrEqualTo(complete.suspects().get(0).retainedBytes())
                .isGreaterThan(complete.suspects().get(0).retainedBytes() * 9 / 10);
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("cut90.hprof: truncated at byte ")
                .endsWith("objects before it, with every class taken as a GC root (the dump's own roots may be cut off: "
                        + "JDK 17 writes them last), so objects held only by threads or JNI are unreachable"));
    }

    @Test
    void gzipDumpCutShortSaysSoBeforeWhatTheDecompressedBytesLack() throws Exception {
        Path cut = dir.resolve("cut.hprof.gz");
        try (InputStream in = Files.newInputStream(gzip); OutputStream out = Files.newOutputStream(cut)) {
            out.write(in.readNBytes(100));
        }
        assertThatThrownBy(() -> new HeapEngine().analyze(cut)).isInstanceOf(UnusableInputException.class)
                .hasMessage(cut + ": gzip stream cut short at compressed byte 100 of 100; in the 0 bytes that decompressed: "
                        + "empty file, not an HPROF heap dump");
    }

    @Test
    void fileThatIsNotHprofIsRefusedWithOneLine() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, not a heap dump\n");
        assertThatThrownBy(() -> new HeapEngine().analyze(text)).isInstanceOf(UnusableInputException.class)
                .hasMessage(text + ": not an HPROF heap dump (it does not start with \"JAVA PROFILE 1.0.x\")");
        // a real JFR recording's first chunk header, named like a dump
        Path jfr = dir.resolve("recording.hprof");
        try (JvmFixture jvm = JvmFixture.start(StaticCacheLeak.class, "10")) {
            jvm.jfrDump(jfr);
        }
        assertThatThrownBy(() -> new HeapEngine().analyze(jfr)).isInstanceOf(UnusableInputException.class)
                .hasMessage(jfr + ": a JFR recording, not an HPROF heap dump (read it with hotpath analyze)");
        Path empty = Files.createFile(dir.resolve("empty.hprof"));
        assertThatThrownBy(() -> new HeapEngine().analyze(empty)).isInstanceOf(UnusableInputException.class)
                .hasMessage(empty + ": empty file, not an HPROF heap dump");
    }

    @Test
    void unsupportedVersionAndIdSizeAreRefused() throws Exception {
        Path v3 = dir.resolve("v3.hprof");
        Files.write(v3, "JAVA PROFILE 1.0.3\0\0\0\0\u0008\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new HeapEngine().analyze(v3)).isInstanceOf(UnusableInputException.class)
                .hasMessage(v3 + ": unsupported HPROF version \"JAVA PROFILE 1.0.3\" (hotpath reads 1.0.1 and 1.0.2)");
        Path id16 = dir.resolve("id16.hprof");
        Files.write(id16, "JAVA PROFILE 1.0.2\0\0\0\0\u0010\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new HeapEngine().analyze(id16)).isInstanceOf(UnusableInputException.class)
                .hasMessage(id16 + ": unsupported identifier size 16 (expected 4 or 8) (at byte 19)");
        Path header = dir.resolve("header.hprof");
        Files.write(header, "JAVA PROFILE 1.0.2\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new HeapEngine().analyze(header)).isInstanceOf(UnusableInputException.class)
                .hasMessage(header + ": truncated inside the HPROF header (at byte 21)");
    }

    @Test
    void dumpCutBeforeAnyObjectIsUnusable() throws Exception {
        Path cut = dir.resolve("early.hprof");
        try (InputStream in = Files.newInputStream(plain); OutputStream out = Files.newOutputStream(cut)) {
            out.write(in.readNBytes(200));
        }
        assertThatThrownBy(() -> new HeapEngine().analyze(cut)).isInstanceOf(UnusableInputException.class)
                .hasMessageStartingWith(cut + ": HPROF file truncated before any heap object (at byte ");
    }
}
