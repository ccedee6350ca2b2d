package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.cli.record.testapp.NativeLeakApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jemalloc heap profiles written by the process itself ({@code MALLOC_CONF=prof:true,lg_prof_interval:22}: a profile
 * every 4 MiB allocated), as a user makes them without hotpath record, given to {@code hotpath analyze DIR}: a real
 * JDK 17 leaking zlib Deflaters, and the same program doing only Java-heap churn.
 */
class JemallocProfileSeriesTest {
    static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    static final Path LIBJEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");

    @TempDir
    static Path dir;

    @BeforeAll
    static void runBoth() throws Exception {
        List<Process> ps = new ArrayList<>();
        for (String mode : List.of("deflater", "clean")) {
            Path out = Files.createDirectories(dir.resolve(mode));
            ProcessBuilder pb = new ProcessBuilder(JDK17.resolve("bin/java").toString(), "-Xms64m", "-Xmx64m",
                    "-cp", NativeLeakApp.classPath(), NativeLeakApp.class.getName(), mode,
                    dir.resolve(mode + ".status").toString());
            pb.environment().put("LD_PRELOAD", LIBJEMALLOC.toString());
            pb.environment().put("MALLOC_CONF", "prof:true,lg_prof_interval:22,lg_prof_sample:17,prof_prefix:"
                    + out.resolve("jeprof"));
            pb.redirectErrorStream(true).redirectOutput(dir.resolve(mode + ".log").toFile());
            ps.add(pb.start());
        }
        Thread.sleep(16_000);
        for (Process p : ps) {
            p.destroy(); // SIGTERM: the app's shutdown hook writes its status
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static JsonNode findings(String mode) throws Exception {
        Cli.Result r = Cli.run("analyze", "--workspace", dir.resolve("ws-" + mode).toString(), "--json",
                dir.resolve(mode).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get("findings");
    }

    @Test
    void aGrowingDeflaterLeakIsNamedByItsJniFunction() throws Exception {
        try (var files = Files.list(dir.resolve("deflater"))) {
            // a dump per 4 MiB allocated: dozens over 16 s of 20 Deflaters a second
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".heap")).count()).isGreaterThanOrEqualTo(6);
        }
        JsonNode fs = findings("deflater");
        List<JsonNode> growth = new ArrayList<>();
        fs.forEach(f -> {
            if (f.get("id").asText().equals("native.jemalloc-growth")) {
                growth.add(f);
            }
        });
        assertThat(growth).as(fs.toString()).hasSize(1);
        JsonNode f = growth.get(0);
        JsonNode ev = f.get("evidence");
        double perMin = ev.get("growthMbPerMin").asDouble();
        assertThat(perMin).isGreaterThanOrEqualTo(10.0);
        assertThat(f.get("severity").asText()).isEqualTo(perMin >= 60 ? "critical" : "warning");
        assertThat(ev.get("culprit").asText()).isEqualTo("Java_java_util_zip_Deflater_init");
        assertThat(f.get("title").asText()).isEqualTo("Live malloc'd memory grows "
                + String.format(java.util.Locale.ROOT, "%.1f", perMin) + " MB/min under Java_java_util_zip_Deflater_init");
        assertThat(ev.get("culpritStack").get(0).asText()).startsWith("deflateInit2_ (libz.so");
        assertThat(ev.get("culpritGrowthMb").asDouble()).isGreaterThan(8.0);
        assertThat(f.get("summary").asText()).contains(" MB: Java_java_util_zip_Deflater_init (java.util.zip.Deflater.init, leaf deflateInit2_).");
        assertThat(f.get("recommendation").asText()).startsWith("java.util.zip's Deflater/Inflater hold native zlib memory");
    }

    @Test
    void heapChurnAloneIsNoNativeFinding() throws Exception {
        try (var files = Files.list(dir.resolve("clean"))) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".heap")).count()).isGreaterThanOrEqualTo(1);
        }
        List<String> natives = new ArrayList<>();
        findings("clean").forEach(f -> {
            if (f.get("category").asText().equals("native")) {
                natives.add(f.get("id").asText());
            }
        });
        assertThat(natives).isEmpty();
    }
}
