package dev.hotpath.nativemem.asprof;

import dev.hotpath.nativemem.NativeFormatException;
import dev.hotpath.nativemem.testapp.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NativeMemReaderTest {
    @TempDir
    Path dir;

    private Path extractProfiler() throws Exception {
        Path lib = dir.resolve("libasyncProfiler.so");
        try (InputStream in = one.profiler.AsyncProfiler.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
        }
        return lib;
    }

    @Test
    void unfreedDeflaterMemoryIsAttributedToTheJavaCaller() throws Exception {
        Path lib = extractProfiler();
        Path jfr = dir.resolve("native.jfr");
        Path err = dir.resolve("err.txt");
        try (ChildJvm jvm = ChildJvm.start(ChildJvm.JDK25,
                List.of("-agentpath:" + lib + "=start,nativemem,jfr,file=" + jfr), Map.of(), "deflater", 3000, err)) {
            assertThat(jvm.waitFor()).isZero();
        }
        long deflaters = ChildJvm.created(err);
        NativeMemProfile p = new NativeMemReader(0.1, 10).read(jfr);
        assertThat(p).isNotNull();
        UnfreedStack top = p.stacks().get(0);
        // Debian links the system libz; Temurin 25 carries zlib inside libzip.so
        assertThat(top.nativeLeaf()).matches("deflateInit2_ \\((libz\\.so.*|libzip\\.so)\\)");
        assertThat(top.javaFrame()).isEqualTo("java.util.zip.Deflater.init");
        assertThat(top.appFrame()).startsWith("dev.hotpath.nativemem.testapp.LeakyApp.main:");
        assertThat(top.frames()).contains("Java_java_util_zip_Deflater_init (libzip.so)");
        // every Deflater leaks its zlib state; 90% of the run counts (the last 10% is ignored)
        long deflateBytes = p.stacks().stream().filter(s -> s.nativeLeaf().startsWith("deflateInit2_"))
                .mapToLong(UnfreedStack::bytes).sum();
        assertThat(deflateBytes).isBetween((long) (deflaters * 0.80 * 250_000), (long) (deflaters * 1.0 * 270_000));
        assertThat(p.frees()).isPositive();
        // the span is the chunk header's, kept in nanoseconds: the cutoff in milliseconds may round one way or the other
        assertThat(p.cutoffMillis()).isCloseTo(p.endMillis() - (long) ((p.endMillis() - p.startMillis()) * 0.1), within(1L));
        assertThat(p.unfreedBytesPerMinute(deflateBytes)).isGreaterThan(deflateBytes);
    }

    @Test
    void recordingWithoutNativememEventsGivesNull() throws Exception {
        Path jfr = dir.resolve("plain.jfr");
        try (ChildJvm jvm = ChildJvm.start(ChildJvm.JDK17, List.of("-XX:StartFlightRecording=filename=" + jfr),
                Map.of(), "idle", 500, null)) {
            assertThat(jvm.waitFor()).isZero();
        }
        assertThat(new NativeMemReader(0.1, 10).read(jfr)).isNull();
    }

    @Test
    void garbageIsRejectedWithTheFileName() throws Exception {
        Path f = Files.writeString(dir.resolve("x.jfr"), "not a recording");
        assertThatThrownBy(() -> new NativeMemReader(0.1, 10).read(f)).isInstanceOf(NativeFormatException.class)
                .hasMessageStartingWith(f + ": not a readable JFR recording");
    }

    @Test
    void longIntMapSurvivesChurn() {
        LongIntMap m = new LongIntMap(4);
        for (int round = 0; round < 3; round++) {
            for (long k = 1; k <= 5000; k++) {
                m.put(k * 4096, (int) k);
            }
            for (long k = 1; k <= 5000; k += 2) {
                assertThat(m.remove(k * 4096)).isEqualTo((int) k);
            }
            for (long k = 1; k <= 5000; k++) {
                assertThat(m.get(k * 4096)).isEqualTo(k % 2 == 1 ? -1 : (int) k);
            }
            assertThat(m.size()).isEqualTo(2500);
            for (long k = 2; k <= 5000; k += 2) {
                m.remove(k * 4096);
            }
            assertThat(m.size()).isZero();
        }
    }
}
