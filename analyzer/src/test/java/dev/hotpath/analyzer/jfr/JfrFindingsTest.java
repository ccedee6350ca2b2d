package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.internal.Stats;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Recordings;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
import dev.hotpath.analyzer.rules.allocation.AllocationHotSiteRule;
import dev.hotpath.analyzer.rules.allocation.AllocationSummary;
import dev.hotpath.analyzer.rules.threads.ExceptionStormRule;
import dev.hotpath.analyzer.rules.threads.ThreadSummary;
import dev.hotpath.analyzer.rules.locks.LockSummary;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JVM-runtime rule over the shared recordings: the faulty program's six planted faults must each be found with
 * the culprit named and the numbers in range; the healthy program must get no warning.
 */
class JfrFindingsTest {
    static final String APP = "dev.hotpath.analyzer.jfr.apps.FaultyApp$";
    static Contexts.Ingested faultyIn;
    static List<Finding> faulty;
    static List<Finding> healthy;

    @BeforeAll
    static void analyse() throws Exception {
        faultyIn = Contexts.ingest(new JfrIngester(), Recordings.faulty().jfr(), ArtifactType.JFR);
        faulty = analyse(faultyIn);
        healthy = analyse(Contexts.ingest(new JfrIngester(), Recordings.healthy().jfr(), ArtifactType.JFR));
        faulty.forEach(f -> System.out.println("FAULTY " + f.severity() + " " + f.id() + ": " + f.summary()));
        healthy.forEach(f -> System.out.println("HEALTHY " + f.severity() + " " + f.id() + ": " + f.summary()));
    }

    static List<Finding> analyse(Contexts.Ingested in) {
        List<Finding> all = new ArrayList<>();
        for (Rule r : ServiceLoader.load(Rule.class)) {
            all.addAll(Contexts.evaluate(r, in.summaries));
        }
        return all;
    }

    static List<Finding> byId(String id) {
        return faulty.stream().filter(f -> f.id().equals(id)).toList();
    }

    static Finding one(String id) {
        List<Finding> list = byId(id);
        assertThat(list).as(id).hasSize(1);
        return list.get(0);
    }

    static double num(Finding f, String key) {
        return ((Number) f.evidence().get(key)).doubleValue();
    }

    @Test
    void monitorConvoyIsNamedWithItsFourThreadsAndBlockedShare() {
        Finding f = byId("locks.contention").stream().filter(x -> x.evidence().get("kind").equals("monitor"))
                .findFirst().orElseThrow();
        assertThat(f.evidence()).containsEntry("lockClass", APP + "Ledger").containsEntry("frame", APP + "Ledger.post")
                .containsEntry("threads", List.of("convoy-0", "convoy-1", "convoy-2", "convoy-3"))
                .containsEntry("threadCount", 4L).containsEntry("recordingThreshold", "10 ms");
        // one holder and three waiters at all times: about 300% of wall time blocked, at least a whole thread
        assertThat(num(f, "sharePercent")).isBetween(100.0, 400.0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.title()).startsWith("4 threads blocked ");
    }

    @Test
    void reentrantLockConvoyIsNamedAndIdleParksAreNotCounted() {
        List<Finding> parks = byId("locks.contention").stream().filter(x -> x.evidence().get("kind").equals("park"))
                .toList();
        assertThat(parks).hasSize(1);
        assertThat(parks.get(0).evidence())
                .containsEntry("lockClass", "java.util.concurrent.locks.ReentrantLock$NonfairSync")
                .containsEntry("frame", APP + "Inventory.reserve")
                .containsEntry("threads", List.of("reserver-0", "reserver-1", "reserver-2"));
        assertThat(num(parks.get(0), "sharePercent")).isBetween(60.0, 300.0);
    }

    @Test
    void lockSummaryCountsEqualTheRawMonitorEvents() throws Exception {
        LockSummary s = faultyIn.one(LockSummary.class);
        long summarised = s.contentions().stream().filter(c -> c.lockClass().equals(APP + "Ledger"))
                .mapToLong(LockSummary.Contention::count).sum();
        long raw = 0;
        long rawNanos = 0;
        try (RecordingFile rf = new RecordingFile(Recordings.faulty().jfr())) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                if (e.getEventType().getName().equals("jdk.JavaMonitorEnter")
                        && e.getClass("monitorClass").getName().equals(APP + "Ledger")) {
                    raw++;
                    rawNanos += e.getDuration().toNanos();
                }
            }
        }
        assertThat(summarised).isEqualTo(raw).isPositive();
        assertThat(s.contentions().stream().filter(c -> c.lockClass().equals(APP + "Ledger"))
                .mapToLong(LockSummary.Contention::totalNanos).sum()).isEqualTo(rawNanos);
    }

    @Test
    void allocationHotSpotNamesChurnAndByteArrays() {
        // Churn is paced at ~406 MB/s but a starved JVM on a shared machine falls behind, so the numbers are checked
        // against what the program reports it allocated, and the default threshold (300 MB/s) must agree with the
        // measured rate: a finding exactly when the rate crosses it
        AllocationSummary a = faultyIn.one(AllocationSummary.class);
        double churnBytes = Recordings.faulty().reported("churnBuffers") * 32.0 * 1024;
        double cacheBytes = Recordings.faulty().reported("cache") * 10_000.0;
        // ObjectAllocationSample weights are an estimate of all allocation: within a factor of the known part
        assertThat((double) a.totalBytes()).isBetween((churnBytes + cacheBytes) * 0.5, (churnBytes + cacheBytes) * 2.5);
        double rate = a.bytesPerSecond() / (1024 * 1024);
        // Churn.makeGarbage owns most of the allocation, so the rule speaks at any rate: by the JVM-wide rate above
        // the 300 MB/s threshold, as a dominant application site below it
        assertThat(byId("allocation.hot-site")).hasSize(1);
        if (Math.abs(rate - 300) > 0.1) {
            assertThat(byId("allocation.hot-site").get(0).evidence())
                    .containsEntry("trigger", rate > 300 ? "rate" : "dominant-site")
                    .containsEntry("frame", APP + "Churn.makeGarbage");
        }
        Finding f = Contexts.evaluate(new AllocationHotSiteRule(), faultyIn.summaries,
                "allocation.hot-site.warningMBps=1").get(0);
        assertThat(f.evidence()).containsEntry("frame", APP + "Churn.makeGarbage")
                .containsEntry("method", "jdk.ObjectAllocationSample weights");
        double expectedShare = 100 * churnBytes / (churnBytes + cacheBytes);
        assertThat(num(f, "sharePercent")).isBetween(expectedShare - 15, Math.min(100, expectedShare + 15));
        assertThat(num(f, "rateMBps")).isEqualTo(Stats.round1(rate));
        assertThat((List<?>) f.evidence().get("topClasses")).first().asString().startsWith("[B (");
    }

    @Test
    void growingMapIsALiveSetGrowthNamingTheAllocationSite() {
        Finding f = one("gc.live-set-growth");
        assertThat(f.category().id()).isEqualTo("heap");
        assertThat(f.severity()).isIn(Severity.WARNING, Severity.CRITICAL);
        assertThat(f.title()).endsWith("(" + APP + "SessionCache.remember)");
        assertThat((List<?>) f.evidence().get("topAllocationFrames")).first().asString()
                .startsWith(APP + "SessionCache.remember (");
        assertThat((List<?>) f.evidence().get("topClasses")).first().asString().startsWith("byte[] (");
        // the map gains 10 KB per elapsed millisecond while the program runs (572 MB/min of payload); the slope is
        // fitted over the whole recording including start-up and exit, where it does not grow, so it is lower
        assertThat(num(f, "slopeMbPerMin")).isBetween(200.0, 800.0);
        long payloadMb = Recordings.faulty().reported("cache") * 10_000 / (1024 * 1024);
        assertThat(num(f, "lastFloorMb") - num(f, "firstFloorMb")).isBetween(payloadMb * 0.7, payloadMb * 1.5);
        assertThat(num(f, "heapMaxMb")).isEqualTo(256.0);
    }

    @Test
    void systemGcCallsAreCountedAndTheCallerNamed() {
        Finding f = one("gc.system-gc");
        assertThat(f.evidence()).containsEntry("collector", "G1Full")
                .containsEntry("callers", List.of(APP + "Maintenance.compact"));
        assertThat((Long) f.evidence().get("count")).isEqualTo(Recordings.faulty().reported("gcCalls"));
        assertThat(f.title()).endsWith("from " + APP + "Maintenance.compact");
    }

    @Test
    void threadLeakNamesThePatternAndItsParent() {
        Finding f = one("threads.leak");
        assertThat(f.evidence()).containsEntry("pattern", "leaky-worker-N").containsEntry("parent", "spawner");
        // JFR records from before main(), and the leaked threads never end: every one of them is counted
        assertThat((Long) f.evidence().get("aliveWithPattern")).isEqualTo(Recordings.faulty().reported("spawned"));
        // nearly all of the growth is the leak, spread over the recording
        ThreadSummary t = faultyIn.one(ThreadSummary.class);
        double leakedPerMinute = 60_000.0 * Recordings.faulty().reported("spawned") / t.durationMs();
        assertThat(num(f, "slopePerMinute")).isBetween(leakedPerMinute * 0.5, leakedPerMinute * 2.0);
        assertThat((Long) f.evidence().get("netGrowth")).isGreaterThan(Recordings.faulty().reported("spawned") * 8 / 10);
    }

    @Test
    void exceptionStormNamesClassAndSite() {
        Finding f = Contexts.evaluate(new ExceptionStormRule(), faultyIn.summaries).stream().findFirst()
                .orElseGet(() -> Contexts.evaluate(new ExceptionStormRule(), faultyIn.summaries,
                        "threads.exceptions.warningPerSecond=100").get(0));
        assertThat(f.evidence()).containsEntry("thrownClass", "java.lang.NumberFormatException")
                .containsEntry("frame", APP + "Parser.parseQuietly");
        // every NumberFormatException the program swallowed is one recorded throw at its site
        assertThat((Long) f.evidence().get("siteCount")).isEqualTo(Recordings.faulty().reported("failures"));
        // at most 5000 per elapsed second by the program's clock (fewer when the JVM is starved of CPU)
        ThreadSummary t = faultyIn.one(ThreadSummary.class);
        assertThat(num(f, "perSecond")).isBetween(100.0, 6000.0)
                .isEqualTo(Stats.round1(t.throwables() * 1000.0 / t.throwablesWindowMs()));
        assertThat(num(f, "siteSharePercent")).isGreaterThan(95.0);
    }

    @Test
    void hotMethodsAreInformationalAndPointAtTheComputingMethod() {
        // the healthy program's workers spend their CPU in Checksum.of; a hot method is a fact, not a fault
        Finding f = healthy.stream().filter(x -> x.id().equals("cpu.hot-methods")).findFirst().orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).containsEntry("hottestAppFrame", "dev.hotpath.analyzer.jfr.apps.HealthyApp$Checksum.of");
        assertThat(num(f, "appFrameSharePercent")).isBetween(50.0, 100.0);
        assertThat((Long) f.evidence().get("samples")).isGreaterThanOrEqualTo(20L);
    }

    @Test
    void healthyProgramHasNoWarningExceptAProvenlyBusyMachine() {
        // Other processes on the machine are context (cpu.machine-contention is info); when the recording shows they
        // took the CPU, a starved JVM really did pause long (every GC thread waited for a core), so the two latency
        // findings may then warn. Nothing else may.
        boolean starved = healthy.stream().anyMatch(f -> f.id().equals("cpu.machine-contention")
                && num(f, "othersPercent") >= 50.0);
        for (Finding f : healthy) {
            if (f.severity().atLeast(Severity.WARNING)) {
                assertThat(f.id()).as(f.summary()).isIn(starved
                        ? List.of("gc.long-pauses", "gc.time-share")
                        : List.of());
            }
        }
        assertThat(healthy.stream().map(Finding::id)).contains("cpu.hot-methods")
                .doesNotContain("locks.contention", "threads.leak", "gc.system-gc", "gc.live-set-growth");
    }

    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.$\\[-])\\d+(?:\\.\\d+)?(?![\\w])");

    @Test
    void everyNumberInTheTextIsAlsoInTheEvidence() {
        for (Finding f : faulty) {
            Set<String> tokens = new HashSet<>();
            StringBuilder strings = new StringBuilder();
            flatten(f.evidence(), tokens, strings);
            Matcher m = NUMBER.matcher(f.title() + " " + f.summary());
            while (m.find()) {
                String n = m.group();
                assertThat(tokens.contains(n) || strings.toString().contains(n))
                        .as(f.id() + ": '" + n + "' of \"" + f.summary() + "\" not in evidence " + f.evidence())
                        .isTrue();
            }
        }
    }

    static void flatten(Object v, Set<String> tokens, StringBuilder strings) {
        if (v instanceof Map<?, ?> map) {
            map.values().forEach(x -> flatten(x, tokens, strings));
        } else if (v instanceof List<?> list) {
            list.forEach(x -> flatten(x, tokens, strings));
        } else if (v instanceof Number n) {
            tokens.add(Stats.fmt(n.doubleValue()));
        } else if (v != null) {
            strings.append(v).append('\n');
        }
    }
}
