package dev.hotpath.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotpath.samples.common.Json;
import dev.hotpath.samples.testing.Http;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, as a demo drives it: each service a separate JVM announcing its port on stdout, loadgen
 * printing its JSON summary, and SIGTERM stopping services gracefully (ingest writes what it accepted first).
 * Runs in the package phase, after the shade plugin has built target/hotpath-samples.jar.
 */
@Tag("jar")
class SamplesJarProcessTest {
    static final Pattern LISTENING = Pattern.compile("(\\w+) listening on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void cleanup() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-jar");
        cmd.add(Path.of("target", "hotpath-samples.jar").toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts a service and returns {process, stdout reader, port}. */
    private Object[] service(String... args) throws Exception {
        Process p = new ProcessBuilder(java(args)).redirectError(dir.resolve(args[0] + ".err").toFile()).start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("first stdout line of " + args[0] + " (stderr: " + dir.resolve(args[0] + ".err") + ")").isNotNull();
        Matcher m = LISTENING.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(m.group(1)).isEqualTo(args[0]);
        return new Object[] {p, out, Integer.parseInt(m.group(2))};
    }

    private static String stopGracefully(Object[] svc) throws Exception {
        Process p = (Process) svc[0];
        p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
        StringBuilder rest = new StringBuilder();
        String l;
        while ((l = ((BufferedReader) svc[1]).readLine()) != null) {
            rest.append(l).append('\n');
        }
        return rest.toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesRunAsSeparateJvmsAndStopGracefullyOnSigterm() throws Exception {
        Path root = dir.resolve("root");
        Object[] gateway = service("gateway", "--root=" + root, "--port=0", "--fault=small-writes");
        String gw = "http://127.0.0.1:" + gateway[2];
        Object[] cache = service("cache", "--origin=" + gw, "--port=0", "--dir=" + dir.resolve("cache"));
        Object[] ingest = service("ingest", "--gateway=" + gw, "--port=0", "--instance=jar", "--segment=64k");
        String cacheUrl = "http://127.0.0.1:" + cache[2];
        String ingestUrl = "http://127.0.0.1:" + ingest[2];

        Process lg = new ProcessBuilder(java("loadgen", "--target=" + cacheUrl, "--ingest=" + ingestUrl, "--prepare",
                "--objects=8", "--size=32k", "--workload=seq-read:1,ingest:1", "--ops=40", "--events-per-batch=25",
                "--threads=2")).redirectError(dir.resolve("loadgen.err").toFile()).start();
        processes.add(lg);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lg.getInputStream().transferTo(out);
        assertThat(lg.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(lg.exitValue()).as(Files.readString(dir.resolve("loadgen.err"))).isZero();
        Map<String, Object> summary = Json.parseObject(out.toString(StandardCharsets.UTF_8).trim());
        long reads = 0;
        long batches = 0;
        for (Object o : (List<Object>) summary.get("operations")) {
            Map<String, Object> m = (Map<String, Object>) o;
            assertThat(m.get("errors")).isEqualTo(0L);
            if ("seq-read".equals(m.get("op"))) {
                reads = (Long) m.get("ops");
            } else {
                batches = (Long) m.get("ops");
            }
        }
        assertThat(reads + batches).isEqualTo(40);
        assertThat(Http.metric(cacheUrl, "requests")).isEqualTo(reads);
        // 8 shards of 32 KiB written in 256-byte calls through the small-writes fault
        assertThat(Http.metric(gw, "fileWriteCalls")).isGreaterThanOrEqualTo(8L * 32768 / 256);

        // ingest buffers in 64 KiB segments: SIGTERM must flush what it accepted before exiting
        assertThat(stopGracefully(ingest)).contains("ingest stopped");
        assertThat(storedEvents(root.resolve("ingest/segments"))).isEqualTo(batches * 25);
        assertThat(Http.get(gw + "/ingest?list-type=2&prefix=leases/").body())
                .asString(StandardCharsets.UTF_8).contains("<KeyCount>0</KeyCount>"); // leases released

        assertThat(stopGracefully(cache)).contains("cache stopped");
        assertThat(stopGracefully(gateway)).contains("gateway stopped");
    }

    private static long storedEvents(Path segments) throws Exception {
        long lines = 0;
        try (Stream<Path> s = Files.walk(segments)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                Inflater inf = new Inflater();
                inf.setInput(Files.readAllBytes(p));
                byte[] buf = new byte[1 << 16];
                while (!inf.finished()) {
                    int n = inf.inflate(buf);
                    for (int i = 0; i < n; i++) {
                        lines += buf[i] == '\n' ? 1 : 0;
                    }
                }
                inf.end();
            }
        }
        return lines;
    }

    @Test
    void aBadCommandLineExitsWith2AndOneLine() throws Exception {
        Process p = new ProcessBuilder(java("gateway", "--port=0")).start();
        processes.add(p);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).isEqualTo("hotpath-samples gateway: missing option --root\n");
    }
}
