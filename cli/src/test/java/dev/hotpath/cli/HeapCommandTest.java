package dev.hotpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotpath.analyzer.model.UnusableInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code hotpath heap} on a dump of a real JVM (a single-file program run by the source launcher). */
class HeapCommandTest {
    static final String PROGRAM = String.join("\n",
            "import java.util.*;",
            "public class HeapGen {",
            "    static final List<long[]> LEAK = new ArrayList<>();",
            "    public static void main(String[] a) throws Exception {",
            "        for (int i = 0; i < 4000; i++) LEAK.add(new long[500]);",
            "        System.out.println(\"READY\");",
            "        while (System.in.read() >= 0) { }",
            "    }",
            "}");

    @TempDir
    static Path shared;
    static Path dump;

    @BeforeAll
    static void makeDump() throws Exception {
        Path src = Files.writeString(shared.resolve("HeapGen.java"), PROGRAM);
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        Process p = new ProcessBuilder(bin.resolve("java").toString(), "-Xmx64m", src.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).isEqualTo("READY");
            dump = shared.resolve("gen.hprof");
            Process j = new ProcessBuilder(bin.resolve("jcmd").toString(), Long.toString(p.pid()), "GC.heap_dump", dump.toString())
                    .redirectErrorStream(true).start();
            j.getInputStream().readAllBytes();
            assertThat(j.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(j.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String[] run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new HeapCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        assertThat(code).as(err.toString()).isEqualTo(expectedExit);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void jsonFollowsTheHeapContract() throws Exception {
        JsonNode root = new ObjectMapper().readTree(run(0, dump.toString(), "--json", "--top", "5")[0]);
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("summary", "histogram", "dominators", "suspects", "growth", "holderGrowth", "waste", "notes");
        assertThat(names(root.get("summary"))).containsExactly("objects", "classes", "shallowBytes", "gcRoots");
        assertThat(root.get("histogram")).hasSize(5);
        assertThat(names(root.get("histogram").get(0))).containsExactly("class", "instances", "shallowBytes", "retainedBytes");
        assertThat(names(root.get("dominators").get(0))).containsExactly("objectId", "class", "shallowBytes", "retainedBytes", "pathToRoot");
        assertThat(root.get("dominators").get(0).get("objectId").asText()).startsWith("0x");
        JsonNode s = root.get("suspects").get(0);
        assertThat(names(s)).containsExactly("title", "holder", "class", "retainedBytes", "percent", "accumulation");
        assertThat(s.get("holder").asText()).isEqualTo("static HeapGen.LEAK");
        assertThat(s.get("class").asText()).isEqualTo("java.util.ArrayList");
        JsonNode acc = s.get("accumulation");
        assertThat(acc.get("class").asText()).isEqualTo("java.lang.Object[]");
        assertThat(acc.get("elementClass").asText()).isEqualTo("long[]");
        assertThat(acc.get("elements").asLong()).isEqualTo(4000);
        // 4000 long[500]: 16-byte header + 4000 bytes each
        assertThat(s.get("retainedBytes").asLong()).isGreaterThan(4000L * 4016);
        assertThat(root.get("growth")).isEmpty();
    }

    @Test
    void textPutsSuspectsFirstAndDominatorsAsATree() {
        String text = run(0, dump.toString(), "--top", "3")[0];
        String[] lines = text.split("\n");
        assertThat(lines[0]).startsWith("gen.hprof: ").contains(" objects, ").contains(" GC roots");
        int suspects = text.indexOf("Leak suspects");
        int dominators = text.indexOf("Top dominators");
        int histogram = text.indexOf("Histogram (by retained bytes)");
        assertThat(suspects).isPositive().isLessThan(dominators);
        assertThat(dominators).isLessThan(histogram);
        assertThat(text).contains("  1. static HeapGen.LEAK retains 15.",
                "     holder: static HeapGen.LEAK",
                "in one java.util.ArrayList: 4000 × long[] in java.lang.Object[]");
        // the ArrayList is shown one level below its class, the Object[] one below that
        assertThat(text).containsPattern("\n {4,6}\\S+ MiB +\\d+\\.\\d%  java\\.util\\.ArrayList@0x[0-9a-f]+  ← static HeapGen\\.LEAK\n"
                + " {6,8}\\S+ MiB +\\d+\\.\\d%  java\\.lang\\.Object\\[\\]@0x[0-9a-f]+\n");
    }

    @Test
    void baselineAgainstItselfShowsNoGrowth() throws Exception {
        JsonNode root = new ObjectMapper().readTree(run(0, dump.toString(), "--baseline", dump.toString(), "--json")[0]);
        assertThat(root.get("growth")).isEmpty();
        assertThat(root.get("holderGrowth")).isEmpty();
    }

    @Test
    void badInputAndBadOptions() throws Exception {
        Path text = Files.writeString(shared.resolve("not-a-dump.txt"), "hello");
        HeapCommand c = new HeapCommand();
        new CommandLine(c).parseArgs(text.toString());
        c.spec = new CommandLine(c).getCommandSpec();
        assertThatThrownBy(c::call).isInstanceOf(UnusableInputException.class)
                .hasMessage(text + ": not an HPROF heap dump (it does not start with \"JAVA PROFILE 1.0.x\")");
        assertThat(run(2, dump.toString(), "--top", "0")[1]).contains("--top must be at least 1");
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
