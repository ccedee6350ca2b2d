package dev.hotpath.analyzer.heap;

import dev.hotpath.analyzer.heap.apps.LayoutApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shallow sizes under the object layouts a JVM can be started with, read from the dump's addresses
 * ({@link SizeCalibration}): each {@link LayoutApp} class's bytes are the JVM's own ({@code jcmd GC.class_histogram},
 * taken just before the dump) and the sizes HotSpot's layout gives, written out per layout.
 */
class HeapLayoutTest {
    private static final String APP = LayoutApp.class.getName();
    private static final Path JDK17 = Path.of(System.getProperty("java.home"));

    /** The note depends on where the JVM put its heap: without compressed oops the default model may already fit. */
    private static final String ANY = "any";

    @TempDir
    Path dir;

    /** Sizes of Empty, Small, Point, Longs, Point[5] in bytes. */
    private void check(Path jdk, List<String> options, String note, int empty, int small, int point, int longs, int array)
            throws Exception {
        Path file = dir.resolve("layout.hprof");
        String histogram;
        try (JvmFixture jvm = JvmFixture.startWith(jdk, options, LayoutApp.class)) {
            histogram = jvm.classHistogram();
            jvm.dump(file, false);
        }
        HeapReport r = new HeapEngine().top(100_000).analyze(file);
        Map<String, long[]> ours = new HashMap<>();
        for (HeapReport.ClassRow row : r.histogram()) {
            ours.put(row.className(), new long[] {row.instances(), row.shallowBytes()});
        }
        Map<String, long[]> jvm = jvmHistogram(histogram);
        String[] names = {APP + "$Empty", APP + "$Small", APP + "$Point", APP + "$Longs", APP + "$Point[]"};
        int[] sizes = {empty, small, point, longs, array};
        for (int i = 0; i < names.length; i++) {
            assertThat(ours.get(names[i])).as(names[i]).containsExactly(1000, 1000L * sizes[i]);
            assertThat(ours.get(names[i])).as(names[i] + " vs the JVM's histogram").containsExactly(jvm.get(names[i]));
        }
        if (note.equals(ANY)) {
            return;
        }
        if (note.isEmpty()) {
            assertThat(r.notes()).noneMatch(n -> n.contains("object layout"));
        } else {
            assertThat(r.notes()).contains("layout.hprof: object layout read from the dump's addresses: " + note);
        }
    }

    private static Map<String, long[]> jvmHistogram(String text) {
        Map<String, long[]> rows = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(text);
        while (m.find()) {
            String name = m.group(3);
            if (name.startsWith("[L")) {
                name = name.substring(2, name.length() - 1) + "[]";
            }
            rows.put(name, new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        return rows;
    }

    @Test
    void defaultLayoutNeedsNoNote() throws Exception {
        check(JDK17, List.of("-Xmx64m", "-XX:+UseSerialGC"), "", 16, 16, 32, 40, 40);
    }

    @Test
    void compactObjectHeadersOnJdk25AreEightBytes() throws Exception {
        check(JvmFixture.JDK25, List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:+UseCompactObjectHeaders"),
                "8-byte object headers (compact object headers), 4-byte references (compressed oops), objects aligned to 8 bytes",
                8, 16, 24, 32, 32);
    }

    @Test
    void compactHeadersUnderShenandoahWhoseDumpFollowsTheObjectGraph() throws Exception {
        // Shenandoah's heap walk visits objects in graph order, not address order: the next address comes from the id index
        check(JvmFixture.JDK25, List.of("-Xmx64m", "-XX:+UseShenandoahGC", "-XX:+UseCompactObjectHeaders"),
                "8-byte object headers (compact object headers), 4-byte references (compressed oops), objects aligned to 8 bytes",
                8, 16, 24, 32, 32);
    }

    @Test
    void classPointersNotCompressedGiveSixteenByteHeaders() throws Exception {
        // JDK 17 starts an array's elements 8-aligned: the Point[] header is 16 + 4 (length) → 24
        check(JDK17, List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:-UseCompressedClassPointers"),
                "16-byte object headers (class pointers not compressed), 4-byte references (compressed oops), objects aligned to 8 bytes",
                16, 24, 32, 40, 48);
    }

    @Test
    void objectAlignmentOfSixteenRoundsEveryObject() throws Exception {
        check(JDK17, List.of("-Xmx64m", "-XX:+UseParallelGC", "-XX:ObjectAlignmentInBytes=16"),
                "12-byte object headers, 4-byte references (compressed oops), objects aligned to 16 bytes",
                16, 16, 32, 48, 48);
    }

    @Test
    void uncompressedOopsUseEightByteReferences() throws Exception {
        check(JDK17, List.of("-Xmx64m", "-XX:+UseG1GC", "-XX:-UseCompressedOops"), ANY, 16, 16, 32, 40, 56);
    }
}
