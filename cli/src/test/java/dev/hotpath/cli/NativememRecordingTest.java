package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.cli.record.AsyncProfilerLibrary;
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
 * An async-profiler {@code nativemem} recording made without hotpath record ({@code -agentpath:…=start,event=nativemem,
 * file=x.jfr}), given alone to {@code hotpath analyze}: a real JDK 17 leaking a Deflater every 50 ms, and one that
 * fills a pool of 64 Deflaters in its first seconds and keeps it (unfreed, but not growing).
 */
class NativememRecordingTest {
    static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    @TempDir
    static Path dir;

    @BeforeAll
    static void record() throws Exception {
        Path lib = AsyncProfilerLibrary.extract(AsyncProfilerLibrary.defaultCacheDir());
        List<Process> ps = new ArrayList<>();
        for (String mode : List.of("deflater", "pool")) {
            ProcessBuilder pb = new ProcessBuilder(JDK17.resolve("bin/java").toString(), "-Xms64m", "-Xmx64m",
                    "-agentpath:" + lib + "=start,event=nativemem,file=" + dir.resolve(mode + ".jfr"),
                    "-cp", NativeLeakApp.classPath(), NativeLeakApp.class.getName(), mode,
                    dir.resolve(mode + ".status").toString());
            pb.redirectErrorStream(true).redirectOutput(dir.resolve(mode + ".log").toFile());
            ps.add(pb.start());
        }
        Thread.sleep(16_000);
        for (Process p : ps) {
            p.destroy(); // SIGTERM: async-profiler writes its recording at exit
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static List<JsonNode> natives(String mode) throws Exception {
        Cli.Result r = Cli.run("analyze", "--workspace", dir.resolve("ws-" + mode).toString(), "--json",
                dir.resolve(mode + ".jfr").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(r.out()).get("findings").forEach(f -> {
            if (f.get("category").asText().equals("native")) {
                out.add(f);
            }
        });
        return out;
    }

    @Test
    void aLeakThatGoesOnToTheEndIsNamedAtItsJavaLine() throws Exception {
        List<JsonNode> fs = natives("deflater");
        assertThat(fs).as(fs.toString()).hasSize(1);
        JsonNode f = fs.get(0);
        assertThat(f.get("id").asText()).isEqualTo("native.unfreed-growth");
        JsonNode ev = f.get("evidence");
        assertThat(ev.get("culprit").asText()).isEqualTo(NativeLeakApp.DEFLATER_SITE);
        double perMin = ev.get("growthMbPerMin").asDouble();
        assertThat(perMin).isGreaterThanOrEqualTo(10.0);
        assertThat(f.get("severity").asText()).isEqualTo(perMin >= 60 ? "critical" : "warning");
        assertThat(f.get("title").asText()).isEqualTo("Native memory left unfreed grows "
                + String.format(java.util.Locale.ROOT, "%.1f", perMin) + " MB/min under " + NativeLeakApp.DEFLATER_SITE);
        assertThat(ev.get("nativeLeaf").asText()).startsWith("deflateInit2_ (libz.so");
        // a Deflater every 50 ms for the whole run: about half its unfreed bytes come in the second half
        assertThat(ev.get("lateUnfreedMb").asDouble() / ev.get("unfreedMb").asDouble()).isBetween(0.3, 0.7);
        assertThat(f.get("recommendation").asText()).startsWith("java.util.zip's Deflater/Inflater hold native zlib memory");
    }

    @Test
    void aPoolFilledAtStartIsUnfreedButNoFinding() throws Exception {
        assertThat(natives("pool")).isEmpty();
    }
}
