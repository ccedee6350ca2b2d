package dev.hotpath.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent under concurrency, storms, huge numbers of targets, signals, attach and a host with its own ByteBuddy.
 * Each test runs a host program ({@code com.acme.iotest.ChaosHost}, {@code WritersHost}, {@code OwnByteBuddyHost})
 * in a real JVM with the shaded agent; the host counts every I/O call it makes and the snapshot must match those
 * counts exactly (or, where a signal or attach cuts the run, lie between two counts the host printed). Figures are
 * printed as {@code AgentChaosIT: ...} lines for README's "Reliability" section.
 */
class AgentChaosIT {
    private static final String CHAOS = "com.acme.iotest.ChaosHost";
    private static final String WRITERS = "com.acme.iotest.WritersHost";
    private static final String OTHER = "(other)";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void sixtyFourThreadsOnOneFileAndOnManyFilesGiveExactTotals(String jdk) throws Exception {
        Path snapshot = dir.resolve("snapshot.json");
        Map<String, Integer> line = AgentProcess.siteLines("ChaosHost.java");
        try (AgentProcess p = AgentProcess.startMain(java(jdk), List.of(AgentProcess.agentArg("snapshot=" + snapshot)),
                CHAOS, "files", dir.toString(), "64", "500")) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stderr()).doesNotContain("hotpath-agent:");
            JsonNode s = AgentProcess.read(snapshot);
            assertThat(s.get("dropped").asLong()).isZero();
            // the host's own view: every write landed, every read got its 100 bytes
            assertThat(p.value("sharedWrites")).isEqualTo("32000");
            assertThat(p.value("sharedSize")).isEqualTo("3200000");
            assertThat(p.value("sharedReadBytes")).isEqualTo("3200000");
            assertThat(p.value("manyWrites")).isEqualTo("64000");
            assertThat(p.value("manySize")).isEqualTo("6400000");

            List<JsonNode> sharedWrite = keys(s, line.get("sharedWrite"), "write");
            assertThat(sharedWrite).hasSize(1);
            assertThat(sharedWrite.get(0).get("target").asText()).isEqualTo(dir.resolve("shared.dat").toString());
            assertThat(total(sharedWrite, "count")).isEqualTo(32_000);
            assertThat(total(sharedWrite, "bytes")).isEqualTo(3_200_000);
            List<JsonNode> sharedRead = keys(s, line.get("sharedRead"), "read");
            assertThat(sharedRead).hasSize(1);
            assertThat(total(sharedRead, "count")).isEqualTo(32_000);
            assertThat(total(sharedRead, "bytes")).isEqualTo(3_200_000);
            // 256 files: one key each, 250 operations of 100 bytes on every one
            for (String op : List.of("write", "read")) {
                List<JsonNode> many = keys(s, line.get(op.equals("write") ? "manyWrite" : "manyRead"), op);
                assertThat(many).hasSize(256);
                assertThat(many.stream().map(k -> k.get("target").asText()).distinct()).hasSize(256);
                for (JsonNode k : many) {
                    assertThat(k.get("count").asLong()).as("%s", k).isEqualTo(250);
                    assertThat(k.get("bytes").asLong()).as("%s", k).isEqualTo(25_000);
                }
            }
            System.out.printf("AgentChaosIT: JDK %s, 64 threads: one file 32,000 writes + 32,000 positional reads, "
                    + "256 files 64,000 writes + 64,000 reads: totals exact%n", jdk);
        }
    }

    @Test
    void aFailureInsideTheAgentUnderSixtyFourThreadsStopsRecordingOnceAndTheHostsOutputIsExact() throws Exception {
        Path snapshot = dir.resolve("snapshot.json");
        try (AgentProcess p = AgentProcess.startMain(AgentProcess.JDK17, List.of("-Dhotpath.agent.testFailAt=5000",
                AgentProcess.agentArg("snapshot=" + snapshot)), CHAOS, "files", dir.toString(), "64", "500")) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stderr().lines().filter(l -> l.contains("hotpath-agent")).toList()).containsExactly(
                    "hotpath-agent: I/O recording disabled after an internal error: "
                            + "java.lang.IllegalStateException: forced by hotpath.agent.testFailAt=5000");
            assertThat(p.value("sharedSize")).isEqualTo("3200000");
            assertThat(p.value("sharedReadBytes")).isEqualTo("3200000");
            assertThat(p.value("manySize")).isEqualTo("6400000");
            assertThat(p.value("manyReadBytes")).isEqualTo("6400000");
            // operations 1..4999 are recorded and the 5000th fails, during the first phase (32,000 appends to one
            // file); until the failing thread has switched recording off the other 63 go on recording (a window
            // as long as that thread is descheduled), but the phase ends only after that thread's write returned:
            // none of the 160,000 operations of the later phases is recorded
            JsonNode s = s(snapshot);
            Map<String, Integer> line = AgentProcess.siteLines("ChaosHost.java");
            long recorded = 0;
            for (JsonNode cs : s.get("callSites")) {
                recorded += cs.get("count").asLong();
            }
            assertThat(recorded).isGreaterThanOrEqualTo(4999L);
            assertThat(total(keys(s, line.get("sharedWrite"), "write"), "count")).isBetween(1L, 32_000L);
            assertThat(keys(s, line.get("sharedRead"), "read")).isEmpty();
            assertThat(keys(s, line.get("manyWrite"), "write")).isEmpty();
            assertThat(keys(s, line.get("manyRead"), "read")).isEmpty();
            System.out.printf("AgentChaosIT: forced failure at operation 5,000 of 64 threads: one line, host output "
                    + "exact, %d operations recorded before recording stopped, none of the 160,000 after%n",
                    recorded);
        }
    }

    @Test
    void connectionStormsGiveExactTotalsAndTheKeyTableStaysCapped() throws Exception {
        int maxSites = 1000;
        Path snapshot = dir.resolve("snapshot.json");
        Map<String, Integer> line = AgentProcess.siteLines("ChaosHost.java");
        try (AgentProcess p = AgentProcess.startMain(AgentProcess.JDK17,
                List.of(AgentProcess.agentArg("snapshot=" + snapshot + ",maxSites=" + maxSites)),
                CHAOS, "storm", dir.toString(), "16", "250")) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stderr()).doesNotContain("hotpath-agent:");
            JsonNode s = AgentProcess.read(snapshot);
            assertSocketTotals(p, s, line, 4000);
            // every connection comes from a client address of its own (127.1.x.y), and an accepted socket's target
            // is its client's host: 4,000 server-side targets at each of the read and write sites
            JsonNode sites = s.get("callSites");
            String port = p.value("port");
            java.util.regex.Pattern accepted = java.util.regex.Pattern.compile(
                    "127\\.1\\.\\d+\\.\\d+ \\(client of :" + port + "\\)");
            int clientHosts = 0;
            for (int serverSite : List.of(line.get("serverRead"), line.get("serverWrite"))) {
                for (JsonNode k : AgentProcess.at(s, "ChaosHost.java", serverSite)) {
                    String t = k.get("target").asText();
                    if (!t.equals(OTHER)) {
                        assertThat(t).matches(accepted);
                        clientHosts++;
                    }
                }
            }
            assertThat(clientHosts).isPositive();
            java.util.Set<String> namedTargets = new java.util.HashSet<>();
            java.util.Set<String> namedPairs = new java.util.HashSet<>();
            long folded = 0;
            for (JsonNode cs : sites) {
                String target = cs.get("kind").asText() + " " + cs.get("target").asText();
                if (cs.get("target").asText().equals(OTHER)) {
                    folded += cs.get("count").asLong();
                } else {
                    namedTargets.add(target);
                    namedPairs.add(cs.get("site").asText() + " " + target);
                }
            }
            // agent/README "Past maxSites": a site names at most an eighth of maxSites pairs (125), so each of the
            // two server-side sites, which see 4,000 client hosts, names exactly 125 and folds the rest; the client
            // side's sites, accept included, have one target each (the server's address)
            Map<String, Integer> pairsPerSite = new java.util.TreeMap<>();
            for (String pair : namedPairs) {
                pairsPerSite.merge(pair.substring(0, pair.indexOf(' ')), 1, Integer::sum);
            }
            assertThat(pairsPerSite).containsEntry("com.acme.iotest.ChaosHost.serve(ChaosHost.java:"
                    + line.get("serverRead") + ")", maxSites / 8).containsEntry("com.acme.iotest.ChaosHost.serve("
                    + "ChaosHost.java:" + line.get("serverWrite") + ")", maxSites / 8);
            assertThat(pairsPerSite.values()).allMatch(n -> n <= maxSites / 8);
            assertThat(namedTargets.size()).isBetween(maxSites / 8, maxSites);
            assertThat(namedPairs.size()).isLessThanOrEqualTo(maxSites);
            int opsPerPair = 7;
            assertThat(sites.size()).isLessThanOrEqualTo(namedPairs.size() * opsPerPair + maxSites / 4 * opsPerPair
                    + 2 * opsPerPair);
            assertThat(s.get("dropped").asLong()).isEqualTo(folded).isGreaterThan(0);
            System.out.printf("AgentChaosIT: storm of 4,000 loopback connections from 16 threads: totals exact; "
                    + "%d keys, %d named (site, target) pairs of %d targets (maxSites=%d), %d operations folded into "
                    + "(other)%n", sites.size(), namedPairs.size(), namedTargets.size(), maxSites, folded);
        }
    }

    @Test
    void tenThousandVirtualThreadsOnFilesAndSocketsGiveExactTotals() throws Exception {
        Path snapshot = dir.resolve("snapshot.json");
        Map<String, Integer> line = AgentProcess.siteLines("ChaosHost.java");
        try (AgentProcess p = AgentProcess.startMain(AgentProcess.JDK25,
                List.of(AgentProcess.agentArg("snapshot=" + snapshot)), CHAOS, "virtual", dir.toString(), "10000")) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stderr()).doesNotContain("hotpath-agent:");
            JsonNode s = AgentProcess.read(snapshot);
            assertThat(p.value("virtualSize")).isEqualTo("640000");
            List<JsonNode> writes = keys(s, line.get("virtualWrite"), "write");
            assertThat(writes).hasSize(100);
            for (JsonNode k : writes) {
                assertThat(k.get("count").asLong()).as("%s", k).isEqualTo(100);
                assertThat(k.get("bytes").asLong()).as("%s", k).isEqualTo(6_400);
            }
            assertSocketTotals(p, s, line, 10_000);
            System.out.printf("AgentChaosIT: JDK 25, 10,000 virtual threads: 10,000 file appends over 100 files and "
                    + "10,000 loopback connections: totals exact (%d keys, %d folded)%n",
                    s.get("callSites").size(), s.get("dropped").asLong());
        }
    }

    @Test
    void aMillionDistinctFileNamesKeepTheKeyTableAndTheHeapBounded() throws Exception {
        int names = 1_000_000;
        // tmpfs when there is one: a million creates and deletes on ext4 take minutes
        Path work = tmpfsOrDir("hotpath-chaos-");
        Map<String, Integer> line = AgentProcess.siteLines("ChaosHost.java");
        try {
            long baseline = namesHeap(work.resolve("baseline"), names);
            Path snapshot = dir.resolve("snapshot.json");
            try (AgentProcess p = startNames(List.of(AgentProcess.agentArg("snapshot=" + snapshot)),
                    work.resolve("agent"), names)) {
                long agentHeap = Long.parseLong(waitForPrefix(p, "heapUsed", 600));
                long[] histogram = hotpathHistogram(p.process.pid());
                p.send("exit");
                assertThat(p.waitFor()).as(p.stderr()).isZero();
                assertThat(p.stderr()).doesNotContain("hotpath-agent:");
                assertThat(p.value("nameWrites")).isEqualTo(String.valueOf(names));

                JsonNode s = AgentProcess.read(snapshot);
                List<JsonNode> keys = keys(s, line.get("nameWrite"), "write");
                assertThat(total(keys, "count")).isEqualTo(names);
                assertThat(total(keys, "bytes")).isEqualTo(16L * names);
                List<JsonNode> folded = keys.stream().filter(k -> k.get("target").asText().equals(OTHER)).toList();
                assertThat(folded).hasSize(1);
                long named = keys.size() - 1;
                assertThat(named).isBetween(1L, 4096L);
                assertThat(folded.get(0).get("count").asLong()).isEqualTo(names - named);
                assertThat(s.get("callSites").size()).isLessThanOrEqualTo(4096 + 1024 + 2 * 7);
                assertThat(s.get("dropped").asLong()).isGreaterThanOrEqualTo(names - named);
                // live heap after GC: the agent's tables are bounded, not a million entries
                long extra = agentHeap - baseline;
                // measured: +20..42 MiB: the 4,096 keys' striped counters and histograms (~1.9 KB each, as long[])
                // and the stream table, which grows while closed streams wait for GC (64K-256K slots seen) and
                // keeps a collected stream's state until its slot is reused; a million kept targets would need
                // several hundred MiB (and fail this -Xmx128m host)
                assertThat(extra).as("heap with agent %d, without %d", agentHeap, baseline)
                        .isLessThan(64L << 20);
                assertThat(histogram[1]).as("bytes of dev.hotpath classes' instances").isLessThan(8L << 20);
                System.out.printf("AgentChaosIT: 1,000,000 distinct file names: %d named keys + 1 (other) key, totals "
                        + "exact; live heap after GC %.1f MiB with the agent, %.1f MiB without (+%.1f MiB); "
                        + "dev.hotpath instances %d, %.1f MiB%n", named, agentHeap / 1048576.0,
                        baseline / 1048576.0, extra / 1048576.0, histogram[0], histogram[1] / 1048576.0);
            }
        } finally {
            if (!work.equals(dir)) {
                deleteTree(work);
            }
        }
    }

    /**
     * A gateway's upload path past the share of named targets per site: 32 threads each write a new temp file twice,
     * forcing after each write at another line. The write site fills its share first, while the force site still has
     * room for the files then in flight; every file must be named at both sites or folded at both, so that forces per
     * write stay exact per file and in the sites' (other) keys (agent/README "A share per site"). With session 21's
     * agent, which did not remember targets folded at first sight, each of three runs named different files at the
     * two sites: the force site spent its share on files the write site had folded, then folded files it had named.
     */
    @Test
    void tempFilesWrittenAndForcedAtTwoSitesAreNamedAtBothOrFoldedAtBoth() throws Exception {
        int files = 20_000;
        int maxSites = 160; // a share of 20 pairs per site
        Path work = tmpfsOrDir("hotpath-forced-");
        Map<String, Integer> line = AgentProcess.siteLines("ChaosHost.java");
        Path snapshot = dir.resolve("snapshot.json");
        try (AgentProcess p = AgentProcess.startMain(AgentProcess.JDK17,
                List.of(AgentProcess.agentArg("snapshot=" + snapshot + ",maxSites=" + maxSites)),
                CHAOS, "forced", work.toString(), String.valueOf(files), "32")) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stderr()).doesNotContain("hotpath-agent:");
            assertThat(p.value("forcedWrites")).isEqualTo(String.valueOf(2 * files));
            assertThat(p.value("forcedForces")).isEqualTo(String.valueOf(2 * files));
            JsonNode s = AgentProcess.read(snapshot);
            Map<String, Long> writes = countByTarget(keys(s, line.get("forcedWrite"), "write"));
            Map<String, Long> forces = countByTarget(keys(s, line.get("forcedForce"), "force"));
            assertThat(writes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2L * files);
            assertThat(forces.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2L * files);
            // the same files named at both sites, each with its two writes and two forces; the rest folded alike
            assertThat(forces).isEqualTo(writes);
            assertThat(writes).hasSize(maxSites / 8 + 1);
            writes.forEach((target, n) -> assertThat(n).as(target)
                    .isEqualTo(target.equals(OTHER) ? 2L * (files - maxSites / 8) : 2L));
            System.out.printf("AgentChaosIT: 20,000 temp files written and forced twice by 32 threads (maxSites=%d): "
                    + "%d files named at both sites, %d folded at both, none at one only%n", maxSites,
                    writes.size() - 1, files - writes.size() + 1);
        } finally {
            if (!work.equals(dir)) {
                deleteTree(work);
            }
        }
    }

    /** A new directory on /dev/shm when it is a writable one, else the test's directory (delete with deleteTree). */
    private Path tmpfsOrDir(String prefix) throws IOException {
        Path shm = Paths.get("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix) : dir;
    }

    /** A site's counts by target, its (other) key included (one per op: the site is named). */
    private static Map<String, Long> countByTarget(List<JsonNode> keys) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (JsonNode k : keys) {
            out.merge(k.get("target").asText(), k.get("count").asLong(), Long::sum);
        }
        return out;
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void sigtermWhileSixteenThreadsWriteLeavesACompleteSnapshotBetweenTheHostsCounts(String jdk) throws Exception {
        Path snapshot = dir.resolve("snap").resolve("snapshot.json");
        Map<String, Integer> line = AgentProcess.siteLines("WritersHost.java");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong parsed = new AtomicLong();
        AtomicReference<String> torn = new AtomicReference<>();
        try (AgentProcess p = AgentProcess.startMain(java(jdk),
                List.of(AgentProcess.agentArg("snapshot=" + snapshot + ",interval=50ms")),
                WRITERS, "sigterm", dir.toString(), "16")) {
            // a reader that parses the snapshot while the agent rewrites it every 50 ms and at exit
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        byte[] b = Files.readAllBytes(snapshot);
                        AgentProcess.JSON.readTree(b).get("callSites").size();
                        parsed.incrementAndGet();
                    } catch (java.nio.file.NoSuchFileException notYet) {
                        // before the first periodic write
                    } catch (Exception e) {
                        torn.compareAndSet(null, e.toString());
                    }
                }
            });
            reader.start();
            long warm = Long.parseLong(waitForPrefix(p, "warm"));
            // SIGTERM through the handle: Process.destroy() would also close our end of the host's stdout
            assertThat(p.process.toHandle().destroy()).isTrue();
            int exit = p.waitFor();
            stop.set(true);
            reader.join();
            assertThat(exit).as(p.stderr()).isEqualTo(143);
            assertThat(p.stderr()).doesNotContain("hotpath-agent:");
            assertThat(torn.get()).as("a reader saw a partial snapshot").isNull();
            long started = Long.parseLong(waitForPrefix(p, "started"));
            assertThat(p.value("completed")).isEqualTo(String.valueOf(started));
            long written = 0;
            for (int t = 0; t < 16; t++) {
                written += Files.size(dir.resolve("w-" + t + ".dat"));
            }
            assertThat(written).isEqualTo(100 * started);
            try (Stream<Path> files = Files.list(snapshot.getParent())) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly("snapshot.json");
            }
            List<JsonNode> keys = keys(AgentProcess.read(snapshot), line.get("loopWrite"), "write");
            assertThat(keys).hasSize(16);
            long count = total(keys, "count");
            assertThat(total(keys, "bytes")).isEqualTo(100 * count);
            assertThat(count).isBetween(warm, started);
            System.out.printf("AgentChaosIT: JDK %s, SIGTERM during 16 writers: exit snapshot %d writes, host had "
                    + "completed >= %d before the signal and %d in all; %d snapshot reads while it was rewritten "
                    + "every 50 ms, none partial%n", jdk, count, warm, started, parsed.get());
        }
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void attachWhileFourThreadsWriteCountsEachLaterWriteOnce(String jdk) throws Exception {
        Path snapshot = dir.resolve("attached.json");
        Map<String, Integer> line = AgentProcess.siteLines("WritersHost.java");
        try (AgentProcess p = AgentProcess.startMain(java(jdk), List.of(), WRITERS, "attach", dir.toString(), "4")) {
            p.awaitLine("running");
            long t1 = System.nanoTime();
            p.send("before");
            long before = Long.parseLong(waitForPrefix(p, "before"));
            p.attach("snapshot=" + snapshot);
            long t2 = System.nanoTime();
            p.send("after");
            long after = Long.parseLong(waitForPrefix(p, "after"));
            Thread.sleep(1500);
            p.send("stop");
            long total = Long.parseLong(waitForPrefix(p, "total"));
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stderr()).doesNotContain("hotpath-agent:");
            assertThat(p.value("completed")).isEqualTo(String.valueOf(total));
            long written = 0;
            for (int t = 0; t < 4; t++) {
                written += Files.size(dir.resolve("w-" + t + ".dat"));
            }
            assertThat(written).isEqualTo(100 * total);
            List<JsonNode> keys = keys(AgentProcess.read(snapshot), line.get("loopWrite"), "write");
            long count = total(keys, "count");
            assertThat(total(keys, "bytes")).isEqualTo(100 * count);
            // every write begun after the attach returned is counted; none finished before it began is
            assertThat(total - after).isPositive();
            assertThat(count).isBetween(total - after, total - before);
            System.out.printf("AgentChaosIT: JDK %s, attach during 4 writers (took %d ms): %d writes counted, %d "
                    + "begun after the attach returned, %d not finished before it began%n", jdk, (t2 - t1) / 1000000,
                    count, total - after, total - before);
        }
    }

    @Test
    void aHostWithItsOwnByteBuddyAndAgentWorksBesideOurs() throws Exception {
        String version = "1.14.12";
        Path m2 = Paths.get(System.getProperty("user.home"), ".m2", "repository", "net", "bytebuddy");
        Path byteBuddy = m2.resolve("byte-buddy/" + version + "/byte-buddy-" + version + ".jar");
        Path byteBuddyAgent = m2.resolve("byte-buddy-agent/" + version + "/byte-buddy-agent-" + version + ".jar");
        assertThat(byteBuddy).exists();
        assertThat(byteBuddyAgent).exists();
        // ours is relocated: the agent jar has no net.bytebuddy class to clash with the host's
        try (JarFile jar = new JarFile(AgentProcess.AGENT_JAR.toFile())) {
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("net/bytebuddy/"))).isEmpty();
            assertThat(jar.getEntry("dev/hotpath/agent/shaded/bytebuddy/ByteBuddy.class")).isNotNull();
        }
        Path snapshot = dir.resolve("snapshot.json");
        int bbWrite = AgentProcess.siteLines("OwnByteBuddyHost.java").get("bbWrite");
        String cp = AgentProcess.TEST_CLASSES + java.io.File.pathSeparator + byteBuddy;
        try (AgentProcess p = AgentProcess.startWithClassPath(AgentProcess.JDK17,
                List.of(AgentProcess.agentArg("snapshot=" + snapshot), "-javaagent:" + byteBuddyAgent),
                cp, "com.acme.iotest.OwnByteBuddyHost", dir.toString())) {
            p.awaitLine("done");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stderr()).doesNotContain("hotpath-agent:");
            assertThat(p.value("byteBuddyJar")).isEqualTo("byte-buddy-" + version + ".jar");
            assertThat(p.value("subclass")).isEqualTo("generated by the host's ByteBuddy");
            assertThat(p.value("greeting")).isEqualTo("hello, advised by the host's agent");
            assertThat(p.value("transformed"))
                    .isEqualTo("com.acme.iotest.OwnByteBuddyHost$Greeter,java.io.FileOutputStream");
            assertThat(p.value("errors")).isEqualTo("[]");
            assertThat(p.value("size")).isEqualTo("10000");
            // FileOutputStream was retransformed by the host's agent after ours: still counted, and only once
            List<JsonNode> keys = AgentProcess.at(AgentProcess.read(snapshot), "OwnByteBuddyHost.java", bbWrite);
            assertThat(keys).hasSize(1);
            assertThat(keys.get(0).get("op").asText()).isEqualTo("write");
            assertThat(keys.get(0).get("target").asText()).isEqualTo(p.value("file"));
            assertThat(keys.get(0).get("count").asLong()).isEqualTo(1000);
            assertThat(keys.get(0).get("bytes").asLong()).isEqualTo(10_000);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String java(String jdk) {
        return jdk.equals("17") ? AgentProcess.JDK17 : AgentProcess.JDK25;
    }

    private static JsonNode s(Path snapshot) throws IOException {
        return AgentProcess.read(snapshot);
    }

    /** Waits until the host printed {@code key=...}; its value. */
    private static String waitForPrefix(AgentProcess p, String key) throws Exception {
        return waitForPrefix(p, key, 120);
    }

    private static String waitForPrefix(AgentProcess p, String key, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String v = p.value(key);
            if (v != null) {
                return v;
            }
            if (!p.process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + key + "= from the host (exit " + (p.process.isAlive() ? "-" : p.process.exitValue())
                + ", values " + p.values + "); stderr:\n" + p.stderr());
    }

    /** The keys of ChaosHost/WritersHost's site at {@code line} with operation {@code op}. */
    private static List<JsonNode> keys(JsonNode s, int line, String op) {
        List<JsonNode> out = new ArrayList<>();
        for (String file : List.of("ChaosHost.java", "WritersHost.java")) {
            for (JsonNode k : AgentProcess.at(s, file, line)) {
                if (k.get("op").asText().equals(op)) {
                    out.add(k);
                }
            }
        }
        return out;
    }

    private static long total(List<JsonNode> keys, String field) {
        long t = 0;
        for (JsonNode k : keys) {
            t += k.get(field).asLong();
        }
        return t;
    }

    /**
     * Socket totals against the host's counts: per kind and op over every key (exact whatever the cap folded), and
     * per call site where no key of that op was folded into the site-less {@code (other)} key (a site first seen
     * after the cap has no name of its own).
     */
    private static void assertSocketTotals(AgentProcess p, JsonNode s, Map<String, Integer> line, long connections) {
        assertThat(p.value("connections")).isEqualTo(String.valueOf(connections));
        assertThat(p.value("clientReadBytes")).isEqualTo(String.valueOf(10 * connections));
        assertThat(p.value("serverReadBytes")).isEqualTo(String.valueOf(100 * connections));
        long clientReads = Long.parseLong(p.value("clientReads"));
        long serverReads = Long.parseLong(p.value("serverReads"));
        expectOpTotal(s, "connect", connections, 0);
        expectOpTotal(s, "accept", connections, 0);
        expectOpTotal(s, "write", 2 * connections, 110 * connections);
        expectOpTotal(s, "read", clientReads + serverReads, 110 * connections);
        if (siteless(s, "connect") == 0) {
            expectTotal(s, line.get("connect"), "connect", connections, 0);
        }
        if (siteless(s, "accept") == 0) {
            expectTotal(s, line.get("accept"), "accept", connections, 0);
        }
        if (siteless(s, "write") == 0) {
            expectTotal(s, line.get("clientWrite"), "write", connections, 100 * connections);
            expectTotal(s, line.get("serverWrite"), "write", connections, 10 * connections);
        }
        if (siteless(s, "read") == 0) {
            expectTotal(s, line.get("clientRead"), "read", clientReads, 10 * connections);
            expectTotal(s, line.get("serverRead"), "read", serverReads, 100 * connections);
        }
    }

    private static List<JsonNode> socketKeys(JsonNode s, String op) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode k : s.get("callSites")) {
            if (k.get("kind").asText().equals("socket") && k.get("op").asText().equals(op)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Operations of {@code op} on sockets folded into the key that has neither site nor target. */
    private static long siteless(JsonNode s, String op) {
        return total(socketKeys(s, op).stream().filter(k -> k.get("site").asText().equals(OTHER)).toList(), "count");
    }

    private static void expectOpTotal(JsonNode s, String op, long count, long bytes) {
        List<JsonNode> keys = socketKeys(s, op);
        assertThat(total(keys, "count")).as("socket %s count", op).isEqualTo(count);
        assertThat(total(keys, "bytes")).as("socket %s bytes", op).isEqualTo(bytes);
    }

    private static void expectTotal(JsonNode s, int line, String op, long count, long bytes) {
        List<JsonNode> keys = keys(s, line, op);
        assertThat(keys).as("%s keys at ChaosHost.java:%d", op, line).isNotEmpty();
        assertThat(keys).allSatisfy(k -> assertThat(k.get("kind").asText()).isEqualTo("socket"));
        assertThat(total(keys, "count")).as("%s count at ChaosHost.java:%d", op, line).isEqualTo(count);
        assertThat(total(keys, "bytes")).as("%s bytes at ChaosHost.java:%d", op, line).isEqualTo(bytes);
    }

    /**
     * The agent's jar is emptied while the host runs (hotpath upgraded or rebuilt under a running service): the exit
     * snapshot must still be written, complete, with no error line. Its classes are loaded at start for this; before,
     * the exit hook failed with NoClassDefFoundError for the first class it had not needed yet.
     */
    @Test
    void theExitSnapshotIsWrittenWhenTheAgentJarIsReplacedWhileTheHostRuns() throws Exception {
        Path jar = dir.resolve("agent-copy.jar");
        Files.copy(AgentProcess.AGENT_JAR, jar);
        Path snapshot = dir.resolve("snapshot.json");
        Map<String, Integer> line = AgentProcess.siteLines("ChaosHost.java");
        Path work = Files.createDirectories(dir.resolve("names"));
        try (AgentProcess p = AgentProcess.startMain(AgentProcess.JDK17,
                List.of("-javaagent:" + jar.toAbsolutePath() + "=snapshot=" + snapshot), CHAOS, "names",
                work.toString(), "300", "2")) {
            waitForPrefix(p, "heapUsed", 120);
            Files.write(jar, new byte[0]); // truncated in place, as a careless copy over it would
            p.send("exit");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.stderr()).doesNotContain("hotpath-agent:");
            assertThat(p.value("nameWrites")).isEqualTo("300");
        }
        List<JsonNode> keys = keys(AgentProcess.read(snapshot), line.get("nameWrite"), "write");
        assertThat(total(keys, "count")).isEqualTo(300);
        assertThat(total(keys, "bytes")).isEqualTo(16L * 300);
    }

    private static AgentProcess startNames(List<String> jvmArgs, Path work, int names) throws IOException {
        Files.createDirectories(work);
        return AgentProcess.startMain(AgentProcess.JDK17, jvmArgs, CHAOS, "names", work.toString(),
                String.valueOf(names), "2");
    }

    /** The host's live heap after GC when it runs without an agent. */
    private static long namesHeap(Path work, int names) throws Exception {
        try (AgentProcess p = startNames(List.of(), work, names)) {
            long heap = Long.parseLong(waitForPrefix(p, "heapUsed", 600));
            p.send("exit");
            assertThat(p.waitFor()).as(p.stderr()).isZero();
            assertThat(p.value("nameWrites")).isEqualTo(String.valueOf(names));
            return heap;
        }
    }

    /** Instances and bytes of dev.hotpath classes in the live heap of {@code pid} (jcmd GC.class_histogram). */
    private static long[] hotpathHistogram(long pid) throws Exception {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        Process j = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(j.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long instances = 0;
        long bytes = 0;
        for (String l : out.split("\n")) {
            String[] f = l.trim().split("\\s+");
            // "  12:   1000   24000  dev.hotpath.agent.bootstrap.StreamState"
            if (f.length >= 4 && f[3].contains("dev.hotpath.")) {
                instances += Long.parseLong(f[1]);
                bytes += Long.parseLong(f[2]);
            }
        }
        assertThat(out).as("jcmd output").contains("java.lang.String");
        return new long[] {instances, bytes};
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
