package dev.hotpath.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Call-site tags give exactly the sites the stack walk gives. {@code TagsHost} (nested helpers, lambdas, a user
 * wrapper and subclasses of FileInputStream, {@code Files.readAllBytes}, a JDK method calling back into user I/O, JDK
 * wrappers, a tagged call that throws, reflection, sockets, an asynchronous channel, a virtual thread on JDK 25) runs
 * twice per JDK: with tags, where {@code hotpath.agent.verifyTags} makes the recorder walk as well whenever a tag gave
 * the site and count every difference, and with {@code tags=false}, all walks. Both with {@code sample=1}, so that
 * sites are re-resolved often. The two snapshots must be equal key for key, with the tricky sites where the test
 * expects them.
 */
class CallSiteTagsIT {
    private static final Pattern REPORT = Pattern.compile(
            "hotpath-agent: tags: classes (\\d+), sites (\\d+), failures (\\d+), resolved by tag (\\d+), by walk (\\d+), "
                    + "verified (\\d+), mismatches (\\d+)(.*)");

    private static final Pattern STATES = Pattern.compile(
            "hotpath-agent: stream states: keyed by descriptor (\\d+), by identity hash (\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void taggedSitesEqualWalkedSites(String jdk) throws Exception {
        String java = jdk.equals("17") ? AgentProcess.JDK17 : AgentProcess.JDK25;
        Path tagged = Files.createDirectories(dir.resolve("tagged"));
        Path walked = Files.createDirectories(dir.resolve("walked"));
        String taggedErr = run(java, tagged, "sample=1", List.of("-Dhotpath.agent.debug=true",
                "-Dhotpath.agent.verifyTags=true"));
        String walkedErr = run(java, walked, "sample=1,tags=false", List.of("-Dhotpath.agent.debug=true"));

        Matcher m = REPORT.matcher(taggedErr);
        assertThat(m.find()).as(taggedErr).isTrue();
        assertThat(m.group(3)).as("classes the tagger could not rewrite").isEqualTo("0");
        long byTag = Long.parseLong(m.group(4));
        // the first call of each tagged site on each JDK stream it meets, where that stream is the one whose
        // operation runs, through the thread's slot: writeThrough, channelRead x3, lambdaRead, runnableRead,
        // wrapperRead, iteratorRead, failedWrite, interfaceRead, rafWrite, accept, socketWrite, socketRead,
        // asyncWrite, asyncRead (+ virtualWrite on 25); then the sampled re-validations of later tagged calls on the
        // same receivers, through the stream's state (how many depends on the sampled gaps); wrappers, subclasses and
        // JDK helpers walk. Every one of them was checked against a walk of the same operation
        assertThat(byTag).as("operations resolved by a tag").isGreaterThan(jdk.equals("17") ? 16 : 17);
        assertThat(Long.parseLong(m.group(6))).as("tags checked against a walk").isEqualTo(byTag);
        assertThat(m.group(7)).as("tags that differ from the walk: " + m.group(8)).isEqualTo("0");
        assertThat(walkedErr).doesNotContain("hotpath-agent: tags:");
        // every stream's state is found by its file descriptor number (the agent opened java.io to the recorder on
        // this JDK), but the asynchronous channel's: its advice has no descriptor to pass
        Matcher states = STATES.matcher(taggedErr);
        assertThat(states.find()).as(taggedErr).isTrue();
        assertThat(Long.parseLong(states.group(2))).as("states keyed by identity hash").isEqualTo(1);
        assertThat(Long.parseLong(states.group(1))).as("states keyed by descriptor number").isGreaterThanOrEqualTo(20);

        Map<String, String> t = keys(AgentProcess.read(tagged.resolve("snapshot.json")), tagged);
        Map<String, String> w = keys(AgentProcess.read(walked.resolve("snapshot.json")), walked);
        assertThat(t).isEqualTo(w);

        Map<String, Integer> line = AgentProcess.siteLines("TagsHost.java");
        String host = "com.acme.iotest.TagsHost";
        expect(t, host + ".writeThrough", line.get("writeThrough"), "file write data.bin", "4 16384");
        expect(t, host + ".channelReads", line.get("channelRead"), "file read data.bin", "48 49152");
        expect(t, host + ".lambda$lambdas$", line.get("lambdaRead"), "file read data.bin", "3 600");
        expect(t, host + ".lambda$lambdas$", line.get("runnableRead"), "file read data.bin", "1 64");
        expect(t, host + "$Wrapper.read", line.get("wrapperRead"), "file read data.bin", "4 2048");
        expect(t, host + "$Wrapper.read", line.get("wrapperReadByte"), "file read data.bin", "2 2");
        expect(t, host + "$Counting.read", line.get("subclassSuper"), "file read data.bin", "2 512");
        expect(t, host + ".subclasses", line.get("plainSubclass"), "file read data.bin", "1 128");
        expect(t, host + ".jdkHelpers", line.get("buffered"), "file read data.bin", "2 4096");
        expect(t, host + "$1.next", line.get("iteratorRead"), "file read data.bin", "5 80");
        expect(t, host + ".failedThenUntagged", line.get("failedWrite"), "file write data.bin", "1 0");
        expect(t, host + ".failedThenUntagged", line.get("channelsStream"), "file read data.bin", "3 192");
        expect(t, host + ".failedThenUntagged", line.get("interfaceRead"), "file read data.bin", "1 32");
        expect(t, host + ".reflection", line.get("reflectiveRead"), "file read data.bin", "1 50");
        expect(t, host + ".randomAccess", line.get("rafWrite"), "file write raf.bin", "8 800");
        expect(t, host + ".randomAccess", line.get("rafReadFully"), "file read raf.bin", "1 300");
        expect(t, host + ".async", line.get("asyncWrite"), "file write async.bin", "4 1024");
        expect(t, host + ".async", line.get("asyncRead"), "file read async.bin", "1 1024");
        expect(t, host + ".sockets", line.get("socketWrite"), null, "3 600");
        assertThat(t.keySet()).anyMatch(k -> k.startsWith(host + ".jdkHelpers(TagsHost.java:" + line.get("readAllBytes")
                + ") file read data.bin"));
        assertThat(t.keySet()).anyMatch(k -> k.startsWith(host + ".callback(TagsHost.java:"
                + line.get("filesWriteLines") + ") file write lines.txt"));
        if (jdk.equals("25")) {
            expect(t, host + ".lambda$virtualThread$", line.get("virtualWrite"), "file write virtual.bin", "10 640");
        }
    }

    private static String run(String java, Path dir, String options, List<String> props) throws Exception {
        List<String> jvm = new java.util.ArrayList<>(props);
        jvm.add(AgentProcess.agentArg("snapshot=" + dir.resolve("snapshot.json") + "," + options));
        try (AgentProcess p = AgentProcess.startMain(java, jvm, "com.acme.iotest.TagsHost", dir.toString())) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            return p.stderr();
        }
    }

    /**
     * The host's keys: {@code site kind op target -> count bytes}, targets of the run's directory by file name, socket
     * peers as {@code peer} (ports differ between runs). Keys of other sites (class loading) are left out.
     */
    private static Map<String, String> keys(JsonNode snapshot, Path dir) {
        Map<String, String> out = new TreeMap<>();
        String prefix = dir.toString() + "/";
        for (JsonNode cs : snapshot.get("callSites")) {
            String site = cs.get("site").asText();
            if (!site.startsWith("com.acme.iotest.TagsHost")) {
                continue;
            }
            String target = cs.get("target").asText();
            if (target.startsWith(prefix)) {
                target = target.substring(prefix.length());
            } else if (cs.get("kind").asText().equals("socket")) {
                target = "peer";
            } else {
                continue;
            }
            String key = site + " " + cs.get("kind").asText() + " " + cs.get("op").asText() + " " + target;
            out.merge(key, cs.get("count").asLong() + " " + cs.get("bytes").asLong(), (a, b) -> a + "+" + b);
        }
        return out;
    }

    private static void expect(Map<String, String> keys, String methodPrefix, int line, String kindOpTarget,
                               String countBytes) {
        String file = "(TagsHost.java:" + line + ")";
        List<Map.Entry<String, String>> hits = keys.entrySet().stream()
                .filter(e -> e.getKey().startsWith(methodPrefix) && e.getKey().contains(file)
                        && (kindOpTarget == null || e.getKey().endsWith(file + " " + kindOpTarget)))
                .toList();
        assertThat(hits).as(methodPrefix + file + " " + kindOpTarget + " in " + keys).hasSize(1);
        assertThat(hits.get(0).getValue()).as(hits.get(0).getKey()).isEqualTo(countBytes);
    }
}
