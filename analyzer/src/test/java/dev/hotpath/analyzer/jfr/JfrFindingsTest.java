package dev.hotpath.analyzer.jfr;

import dev.hotpath.analyzer.jfr.internal.Stats;
import dev.hotpath.analyzer.jfr.testkit.Contexts;
import dev.hotpath.analyzer.jfr.testkit.Recordings;
import dev.hotpath.analyzer.model.ArtifactType;
import dev.hotpath.analyzer.model.Finding;
import dev.hotpath.analyzer.model.Severity;
import dev.hotpath.analyzer.rules.Rule;
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
        assertThat(summarised).isEqualTo(raw).isGreaterThan(10);
        assertThat(s.contentions().stream().filter(c -> c.lockClass().equals(APP + "Ledger"))
                .mapToLong(LockSummary.Contention::totalNanos).sum()).isEqualTo(rawNanos);
    }

    @Test
    void allocationHotSpotNamesChurnAndByteArrays() {
        Finding f = one("allocation.hot-site");
        assertThat(f.evidence()).containsEntry("frame", APP + "Churn.makeGarbage")
                .containsEntry("method", "jdk.ObjectAllocationSample weights");
        assertThat(num(f, "sharePercent")).isBetween(90.0, 100.0);
        assertThat(num(f, "rateMBps")).isGreaterThanOrEqualTo(300.0);
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
        assertThat((List<?>) f.evidence().get("topClasses")).first().asString().startsWith("[B (");
        // the map gains at most 8 KB per millisecond (480 MB/min); sleeping threads on a busy machine gain less
        assertThat(num(f, "slopeMbPerMin")).isBetween(30.0, 500.0);
        assertThat(num(f, "heapMaxMb")).isEqualTo(256.0);
    }

    @Test
    void systemGcCallsAreCountedAndTheCallerNamed() {
        Finding f = one("gc.system-gc");
        assertThat(f.evidence()).containsEntry("collector", "G1Full")
                .containsEntry("callers", List.of(APP + "Maintenance.compact"));
        // one call per 1.5 s over 8 s: 5 at most, the last may fall after the run ends
        assertThat((Long) f.evidence().get("count")).isBetween(3L, 5L);
        assertThat(f.title()).endsWith("from " + APP + "Maintenance.compact");
    }

    @Test
    void threadLeakNamesThePatternAndItsParent() {
        Finding f = one("threads.leak");
        assertThat(f.evidence()).containsEntry("pattern", "leaky-worker-N").containsEntry("parent", "spawner");
        // one thread per 20 ms for 8 s is 400 at most
        assertThat((Long) f.evidence().get("aliveWithPattern")).isBetween(100L, 400L);
        assertThat(num(f, "slopePerMinute")).isBetween(600.0, 3000.0);
    }

    @Test
    void exceptionStormNamesClassAndSite() {
        Finding f = one("threads.exceptions");
        assertThat(f.evidence()).containsEntry("thrownClass", "java.lang.NumberFormatException")
                .containsEntry("frame", APP + "Parser.parseQuietly");
        assertThat(num(f, "perSecond")).isBetween(1000.0, 16_500.0);
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
        for (Finding f : healthy) {
            if (f.severity().atLeast(Severity.WARNING)) {
                // the one environment finding: allowed only when the recording shows other processes took the CPU
                assertThat(f.id()).as(f.summary()).isEqualTo("cpu.machine-contention");
                assertThat(num(f, "othersPercent")).isGreaterThanOrEqualTo(50.0);
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
