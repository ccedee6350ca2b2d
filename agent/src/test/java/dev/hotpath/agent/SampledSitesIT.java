package dev.hotpath.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream written alternately from two sites, one write in four from the first: its operations are split between
 * the two keys by the sampled re-validations, the split follows the mix, and the stream is re-validated no more often
 * than a stream used from one site. With {@code sample=1} the gaps between re-validations double from a mean of 1 to
 * 64 whatever each finds, so 100,000 blocks (400,000 writes) make 6 + (400,000 - 63) / 64 = 6,255 of them on average,
 * with a standard deviation of about 45 (a renewal count: 400,000 x var(gap) / 64^3, the gaps uniform in [1, 127]);
 * the bounds are about six of them either side. Both sites' calls are tagged, so a re-validation takes the site from
 * the tag the call left on the stream's state instead of walking. (A schedule that restarted short gaps whenever a
 * re-validation found the other site made 36,478 of them.)
 * The first site's share then has a standard deviation of about 0.7 points around 25%; the bounds are six of them
 * either side. Totals are exact whatever the split.
 */
class SampledSitesIT {
    private static final int BLOCKS = 100_000;
    private static final Pattern WALKS = Pattern.compile("resolved by tag (\\d+), by walk (\\d+)");

    @TempDir
    Path dir;

    @Test
    void aStreamAlternatingBetweenTwoSitesIsSplitByTheirMix() throws Exception {
        List<String> jvm = List.of("-Dhotpath.agent.debug=true",
                AgentProcess.agentArg("snapshot=" + dir.resolve("snapshot.json") + ",sample=1"));
        String stderr;
        try (AgentProcess p = AgentProcess.startMain(AgentProcess.JDK17, jvm, "com.acme.iotest.AlternatingHost",
                dir.toString(), Integer.toString(BLOCKS))) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            stderr = p.stderr();
        }
        Matcher m = WALKS.matcher(stderr);
        assertThat(m.find()).as(stderr).isTrue();
        // every resolution of the stream's sites comes from their tags: the two first through the thread's slot,
        // the sampled re-validations after them through the stream's state. The walks are the JDK's: the class
        // loader's two reads of the host's class file (after a stream's first resolution the next gap is 1) and the
        // host's "done" on stdout (a PrintStream's write, not a tagged call on the file stream)
        long byTag = Long.parseLong(m.group(1));
        assertThat(Long.parseLong(m.group(2))).as("walks").isEqualTo(3);
        assertThat(byTag).as("resolutions by tag: 2 first and the sampled ones").isBetween(6_000L, 6_550L);
        JsonNode snapshot = AgentProcess.read(dir.resolve("snapshot.json"));
        Map<String, Integer> line = AgentProcess.siteLines("AlternatingHost.java");
        List<JsonNode> one = AgentProcess.at(snapshot, "AlternatingHost.java", line.get("one"));
        List<JsonNode> three = AgentProcess.at(snapshot, "AlternatingHost.java", line.get("three"));
        assertThat(one).hasSize(1);
        assertThat(three).hasSize(1);
        String target = dir.resolve("mixed.bin").toString();
        for (JsonNode k : List.of(one.get(0), three.get(0))) {
            assertThat(k.get("kind").asText() + " " + k.get("op").asText() + " " + k.get("target").asText())
                    .isEqualTo("file write " + target);
        }
        long a = one.get(0).get("count").asLong();
        long b = three.get(0).get("count").asLong();
        assertThat(a + b).isEqualTo(4L * BLOCKS);
        assertThat(one.get(0).get("bytes").asLong() + three.get(0).get("bytes").asLong())
                .isEqualTo(BLOCKS * (16L + 3 * 4L));
        double share = (double) a / (a + b);
        assertThat(share).as("the first site's share of the stream's writes (%d of %d)", a, a + b)
                .isBetween(0.21, 0.29);
    }
}
