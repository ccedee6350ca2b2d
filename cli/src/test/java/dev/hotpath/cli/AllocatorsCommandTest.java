package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AllocatorsCommandTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new AllocatorsCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path config() throws Exception {
        Path cfg = dir.resolve("allocators.properties");
        Files.writeString(cfg, "broken.library = " + dir.resolve("libnothere.so") + "\nbroken.package = libnothere1\n"
                + "glibc-trim.env.MALLOC_TRIM_THRESHOLD_ = 131072\n");
        return cfg;
    }

    @Test
    void listShowsEveryVariantWithItsLibraryAndMissingOnesWithThePackage() throws Exception {
        Path cfg = config();
        Result r = run("list", "--config", cfg.toString());
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(9);
        assertThat(lines.get(0)).matches("variant +library +environment +origin");
        assertThat(lines.get(1)).matches("glibc +\\(libc malloc\\) +- +built-in");
        assertThat(lines.get(2)).matches("glibc-arena2 +\\(libc malloc\\) +MALLOC_ARENA_MAX=2 +built-in");
        assertThat(lines.get(3)).matches("jemalloc +/\\S+/libjemalloc\\.so\\.2 +- +built-in");
        assertThat(lines.get(4)).matches("jemalloc-tuned +/\\S+/libjemalloc\\.so\\.2 +"
                + "MALLOC_CONF=background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0 +built-in");
        assertThat(lines.get(5)).matches("tcmalloc +/\\S+/libtcmalloc_minimal\\.so\\.4 +- +built-in");
        assertThat(lines.get(6)).matches("mimalloc +/\\S+/libmimalloc\\.so\\.2 +- +built-in");
        assertThat(lines.get(7)).matches("broken +not installed: apt-get install libnothere1 +- +" + cfg);
        assertThat(lines.get(8)).matches("glibc-trim +\\(libc malloc\\) +MALLOC_TRIM_THRESHOLD_=131072 +" + cfg);
    }

    @Test
    void variantNotInstalledExitsThreeNamingThePackage() throws Exception {
        Path cfg = config();
        Result r = run("compare", "--cmd", "true", "--variants", "glibc,broken", "--config", cfg.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(dir.resolve("libnothere.so") + ": allocator variant 'broken' is not installed "
                + "(no such file); install it with: apt-get install libnothere1\n");
    }

    @Test
    void usageErrorsExitTwo() {
        Result unknown = run("compare", "--cmd", "true", "--variants", "glibc,jemaloc");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("unknown allocator variant 'jemaloc' (known: glibc, glibc-arena2, jemalloc, ");
        Result runs = run("compare", "--cmd", "true", "--runs", "0");
        assertThat(runs.exit()).isEqualTo(2);
        assertThat(runs.err()).isEqualTo("--runs must be at least 1 and --warmup at least 0\n");
        Result metric = run("compare", "--cmd", "true", "--metric", "oops");
        assertThat(metric.exit()).isEqualTo(2);
        assertThat(metric.err()).isEqualTo("--metric expects NAME=REGEX or NAME=json:PATH, got 'oops'\n");
        Result dur = run("compare", "--cmd", "true", "--duration", "soon");
        assertThat(dur.exit()).isEqualTo(2);
        assertThat(dur.err()).isEqualTo("--duration: cannot read 'soon' (use e.g. 500ms, 30s, 2m)\n");
        assertThat(AllocatorsCommand.parseDuration("1.5s").toMillis()).isEqualTo(1500);
        assertThat(AllocatorsCommand.parseDuration("2m").toMillis()).isEqualTo(120_000);
        assertThat(AllocatorsCommand.parseDuration("250ms").toMillis()).isEqualTo(250);
    }

    @Test
    void jsonFollowsTheAllocatorComparisonContract() throws Exception {
        String cmd = "echo 'ops: 1,234'; echo '{\"summary\":{\"opsPerSec\":99.5}}'; sleep 0.2";
        Result r = run("compare", "--cmd", cmd, "--variants", "glibc,jemalloc", "--runs", "2",
                "--warmup", "0", "--seed", "5", "--metric", "ops=ops: ([0-9,]+)", "--metric", "tput=json:summary.opsPerSec",
                "--json");
        assertThat(r.exit()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("command").asText()).isEqualTo(cmd);
        assertThat(root.get("seed").asLong()).isEqualTo(5);
        JsonNode variants = root.get("variants");
        assertThat(variants).hasSize(2);
        assertThat(variants.get(0).get("name").asText()).isEqualTo("glibc");
        assertThat(variants.get(0).get("env").size()).isZero();
        assertThat(variants.get(1).get("name").asText()).isEqualTo("jemalloc");
        assertThat(variants.get(1).get("env").get("LD_PRELOAD").asText()).endsWith("/libjemalloc.so.2");
        for (JsonNode v : variants) {
            assertThat(v.get("runs")).hasSize(2);
            for (JsonNode run : v.get("runs")) {
                assertThat(run.get("peakRssBytes").asLong()).isPositive();
                assertThat(run.get("endRssBytes").asLong()).isPositive();
                assertThat(run.get("cpuSeconds").isNumber()).isTrue();
                assertThat(run.get("wallSeconds").asDouble()).isGreaterThanOrEqualTo(0.2);
                assertThat(run.get("exitCode").asInt()).isZero();
                assertThat(run.get("metrics").get("ops").asDouble()).isEqualTo(1234.0);
                assertThat(run.get("metrics").get("tput").asDouble()).isEqualTo(99.5);
            }
            JsonNode summary = v.get("summary");
            assertThat(summary.get("peakRssBytes").get("n").asInt()).isEqualTo(2);
            assertThat(summary.get("ops").get("median").asDouble()).isEqualTo(1234.0);
        }
        List<String> metrics = new ArrayList<>();
        for (JsonNode c : root.get("comparisons")) {
            assertThat(c.get("baseline").asText()).isEqualTo("glibc");
            assertThat(c.get("variant").asText()).isEqualTo("jemalloc");
            assertThat(c.has("change")).isTrue();
            assertThat(c.has("ci95")).isTrue();
            assertThat(c.has("pValue")).isTrue();
            assertThat(c.get("verdict").asText()).isNotBlank();
            metrics.add(c.get("metric").asText());
        }
        assertThat(metrics).containsExactly("peakRssBytes", "endRssBytes", "cpuSeconds", "wallSeconds", "ops", "tput");
        JsonNode ops = root.get("comparisons").get(4);
        assertThat(ops.get("change").asDouble()).isZero();
        assertThat(ops.get("ci95").get(0).asDouble()).isZero();
        assertThat(ops.get("ci95").get(1).asDouble()).isZero();
        // two runs per variant can never be significant: the verdict must say so rather than "no difference"
        assertThat(ops.get("verdict").asText()).isEqualTo("no difference in ops detected between jemalloc and glibc "
                + "(0.0%, 95% CI 0.0\u20260.0%, adjusted p=1) \u2014 with 2 runs per variant the rank test cannot reach "
                + "significance at all after correcting for 6 comparisons; use at least 5 runs");
        assertThat(r.err()).contains("[1/2] glibc: peak RSS ").contains("[2/2] jemalloc: peak RSS ");
    }

    @Test
    void workspaceThatCannotStoreIsOneLineAndExitThree() {
        Result r = run("compare", "--cmd", "true", "--variants", "glibc", "--runs", "1", "--warmup", "0",
                "--workspace", "/dev/null/ws");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).startsWith("allocator comparison: 1 run per variant, order randomised each round (seed ");
        List<String> errLines = r.err().lines().toList();
        assertThat(errLines.get(errLines.size() - 1)).contains("/dev/null/ws");
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
